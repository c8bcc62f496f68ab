"""What elections tells the modules above it (they connect in their ``apps.ready``;
elections imports none of them, ADR 0612)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the announcement's transaction when a recall vote's result is announced
# (again after a re-count): ``election_id``, ``outcome`` (``tally.RECALLED`` …), ``result``
# (the stored count), ``day`` (the announcement's day) and ``actor``. A receiver that
# raises undoes the announcement.
recall_announced = Signal()
