"""WSGI entry point (``shequ serve`` runs gunicorn on ``shequ.wsgi:application``).

The system checks run here too, before the first request: a server started without the
``shequ`` command (plain ``gunicorn shequ.wsgi``) still refuses public keys in production
(ADR 0013) instead of serving with them.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
application = get_wsgi_application()


def _refuse_unsafe_settings() -> None:
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [e for e in checks.run_checks(include_deployment_checks=False)
              if e.is_serious() and not e.is_silenced()]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg}" for e in errors))


_refuse_unsafe_settings()
