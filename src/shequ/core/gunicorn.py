"""gunicorn's logs as JSON lines in production (``shequ serve``, ADR 0015).

The access log becomes one object per request (time, remote address, method, path, query,
status, bytes, duration in ms, user agent, referrer); gunicorn's own messages go through
:class:`shequ.core.logs.JsonFormatter` like the application's.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger

from shequ.core.logs import JsonFormatter


class JsonLogger(Logger):  # type: ignore[misc]
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.logconfig_dict
                or self.cfg.syslog):
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = str(atoms.get("s", ""))
        self.access_log.info(json.dumps({
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO", "logger": "gunicorn.access",
            "remote": atoms.get("h"), "method": atoms.get("m"), "path": atoms.get("U"),
            "query": atoms.get("q"), "status": int(status) if status.isdigit() else status,
            "bytes": atoms.get("B"), "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": atoms.get("a"), "referer": atoms.get("f"),
        }, ensure_ascii=False))
