"""Each factor of a ranking in words, in the reader's language (page, API, CLI and the
explanation stored with an engagement all read the same way)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shequ.linkage.ranking import Factor, Ranked

LABELS = {
    "category": gettext_lazy("Service category"),
    "distance": gettext_lazy("Distance"),
    "capacity": gettext_lazy("Free capacity"),
    "record": gettext_lazy("Track record"),
    "rating": gettext_lazy("Rating"),
}


def _figure(key: str, value: Decimal, data: dict[str, Any]) -> str:
    if key == "category":
        return _("main category") if data.get("main") else _("also served")
    if key == "distance":
        if not data.get("known", True) or value < 0:
            return _("place unknown")
        return _("%(km)s km") % {"km": f"{value / 1000:.2f}"}
    if key == "capacity":
        return _("%(free)d of %(cap)d places free") % {"free": int(value),
                                                        "cap": int(data.get("capacity", 0))}
    if key == "record":
        return ngettext("%(n)d engagement completed", "%(n)d engagements completed",
                        int(value)) % {"n": int(value)}
    n = int(data.get("ratings", 0))
    prior = _("grade %(g)sA") % {"g": data.get("prior")} if data.get("graded") \
        else _("neutral %(p)s") % {"p": data.get("prior")}
    return ngettext("mean %(r)s from %(n)d rating and the prior (%(prior)s)",
                    "mean %(r)s from %(n)d ratings and the prior (%(prior)s)", n) % {
        "r": value, "n": n, "prior": prior}


def line(key: str, value: Any, score: Any, weight: Any, points: Any,
         data: dict[str, Any], words: dict[str, str] | None = None) -> dict[str, str]:
    """``{label, figure, arithmetic}`` of one factor: 'Distance', '1.11 km',
    '88.9% × 25% = 22.2' (the factor's score as a share of full marks). ``words`` (from
    :func:`_words`) saves looking the same labels up again for every candidate of a list."""
    words = words or _words()
    weight_pct = (Decimal(str(weight)) * 100).quantize(Decimal("0.1"))
    pct = f"{weight_pct.normalize():f}" if weight_pct == weight_pct.to_integral() else f"{weight_pct}"
    return {"factor": key, "label": words.get(key, key),
            "figure": _figure(key, Decimal(str(value)), data),
            "arithmetic": words["arithmetic"] % {
                "score": f"{Decimal(str(score)) * 100:.1f}%", "weight": pct,
                "points": str(points)}}


def _words() -> dict[str, str]:
    return {**{k: str(v) for k, v in LABELS.items()},
            "arithmetic": _("%(score)s × %(weight)s%% = %(points)s")}


def lines(ranked: Ranked, words: dict[str, str] | None = None) -> list[dict[str, str]]:
    words = words or _words()
    return [line(f.key, f.value, f.score, f.weight, f.points, f.data, words)
            for f in ranked.factors]


def stored_lines(explanation: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The explanation kept with an engagement, in today's reader's language."""
    out = []
    for item in explanation:
        data = {k: v for k, v in item.items()
                if k not in ("factor", "value", "score", "weight", "points")}
        out.append(line(item["factor"], item["value"], item["score"], item["weight"],
                        item["points"], data))
    return out


def factor_of(ranked: Ranked, key: str) -> Factor:
    return next(f for f in ranked.factors if f.key == key)
