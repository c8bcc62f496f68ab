"""The ``shequ`` command: Django's management commands with the project's settings.

Before a command that needs the database, the embedded SQLite default is set up if it does
not exist yet; a database error that means "not set up", "behind the code" or "not
reachable" becomes one line saying what to run, not a traceback (``shequ.core.firstrun``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    args = list(argv if argv is not None else sys.argv[1:])
    import django
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    django.setup()
    from shequ.core import firstrun

    command = args[0] if args and not args[0].startswith("-") else "help"
    try:
        firstrun.prepare(command)
        execute_from_command_line(["shequ", *args])
    except (OperationalError, ProgrammingError) as exc:
        advice = firstrun.explain(exc)
        if advice is None:
            raise
        sys.stderr.write(f"CommandError: {advice}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
