"""Official documents: one renderer (A4, Chinese font) and one numbering for every module
(受理通知书, 补正通知书, decisions, 选民证, certificates, filing receipts, reports).

A module builds a :class:`~shequ.documents.render.Document` from its own data in its own
``documents.py``, numbers it with :func:`shequ.documents.services.issue` and returns the
bytes of :func:`~shequ.documents.render.render` (ADR 0012)."""
