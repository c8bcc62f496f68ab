"""The vocabulary of ``documents``: error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    UNKNOWN_DOCUMENT = "unknown_document"


class AuditAction(StrEnum):
    ISSUE = "documents.document.issue"
