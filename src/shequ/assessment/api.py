"""``/api/v1/assessment``: snapshots in the caller's scope and their scores (read from the
stored snapshot, never recomputed), and computing or correcting one. Thin: schema in,
service or selector, schema out."""


from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from shequ import authz
from shequ.assessment import selectors, services
from shequ.assessment.enums import Perm
from shequ.assessment.models import Score, Snapshot
from shequ.core.pagination import Cursor

router = Router()


class AssessmentSnapshotOut(Schema):
    id: int
    area_code: str
    scheme_id: int
    scheme_version: int
    kind: str
    year: int
    start: date
    end: date
    version: int
    supersedes: int | None
    reason: str

    @staticmethod
    def resolve_scheme_version(s: Snapshot) -> int:
        return s.scheme.version

    @staticmethod
    def resolve_kind(s: Snapshot) -> str:
        return s.scheme.kind

    @staticmethod
    def resolve_year(s: Snapshot) -> int:
        return s.scheme.year

    @staticmethod
    def resolve_supersedes(s: Snapshot) -> int | None:
        return s.supersedes_id


class AssessmentValueOut(Schema):
    indicator: str
    numerator: Decimal | None
    denominator: Decimal | None
    points: Decimal | None


class AssessmentScoreOut(Schema):
    area_code: str
    parent_code: str
    level: str
    name: str
    total: Decimal | None
    rank: int | None
    targets_met: int
    values: list[AssessmentValueOut]

    @staticmethod
    def resolve_targets_met(r: Score) -> int:
        return r.passed

    @staticmethod
    def resolve_values(r: Score) -> list[AssessmentValueOut]:
        def dec(x: Any) -> Decimal | None:
            return None if x is None else Decimal(x)

        return [AssessmentValueOut(indicator=k, numerator=dec(v[0]), denominator=dec(v[1]),
                                   points=dec(r.points.get(k))) for k, v in r.values.items()]


class AssessmentScoresFilter(Schema):
    parent: str | None = Field(None, description="area whose children are listed (default: "
                                                 "the snapshot's area, or the caller's)")


class AssessmentComputeIn(Schema):
    area_code: str
    year: int
    kind: str = Field("district", description="district | province")


class AssessmentCorrectIn(Schema):
    reason: str


@router.get("/snapshots", response=list[AssessmentSnapshotOut], summary="Snapshots in scope")
@paginate(Cursor)
def snapshots(request: HttpRequest) -> Any:
    authz.check(request.user, Perm.VIEW)
    return selectors.snapshots(user=request.user).order_by("-id")


@router.get("/snapshots/{pk}", response=AssessmentSnapshotOut, summary="One snapshot")
def snapshot(request: HttpRequest, pk: int) -> Any:
    authz.check(request.user, Perm.VIEW)
    return selectors.snapshot(user=request.user, pk=pk)


@router.get("/snapshots/{pk}/scores", response=list[AssessmentScoreOut],
            summary="Scores and ranks of the areas under a parent")
@paginate(Cursor)
def scores(request: HttpRequest, pk: int, filters: Query[AssessmentScoresFilter]) -> Any:
    authz.check(request.user, Perm.VIEW)
    rows = selectors.scores(user=request.user, pk=pk, parent=filters.parent or "")
    return rows.order_by("area_code", "id")


@router.post("/snapshots", response={201: AssessmentSnapshotOut},
             summary="Compute a closed period's snapshot")
def compute(request: HttpRequest, payload: AssessmentComputeIn) -> Any:
    snap = services.compute(actor=request.user, area_code=payload.area_code, year=payload.year,
                            kind=payload.kind)
    return 201, snap


@router.post("/snapshots/{pk}/corrections", response={201: AssessmentSnapshotOut},
             summary="Correct a snapshot: a new version with its reason")
def correct(request: HttpRequest, pk: int, payload: AssessmentCorrectIn) -> Any:
    snap = services.correct(actor=request.user, snapshot_id=pk, reason=payload.reason)
    return 201, snap
