"""The assessment module's writers (ADR 0011): schemes, figures entered by hand,
snapshots and their corrections."""

from shequ.assessment.services.figures import enter_figure
from shequ.assessment.services.schemes import province_scheme, save_scheme
from shequ.assessment.services.snapshots import compute, compute_due, correct

__all__ = ["compute", "compute_due", "correct", "enter_figure", "province_scheme", "save_scheme"]
