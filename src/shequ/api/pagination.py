"""Re-export of :mod:`shequ.core.pagination` for code written before it moved there;
modules import ``from shequ.core.pagination import Cursor`` (the layers contract forbids a
module to import ``shequ.api``)."""

from shequ.core.pagination import Cursor

__all__ = ["Cursor"]
