"""Generated texts stored with networks and runs (keys with parameters, ADR 0011)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shequ.core.texts import Texts

TEXTS = Texts({
    "pbf_missing": _("The file %(file)s does not exist."),
    "pbf_empty": _("The file %(file)s is empty."),
    "pbf_not_pbf": _("%(file)s is not an OpenStreetMap .pbf extract (its header is missing)."),
    "pbf_unreadable": _("%(file)s cannot be read: the file is broken or cut short."),
    "pbf_no_walkable_ways": _("%(file)s holds no street or path one may walk on."),
    "network_islands": _("%(n)s parts of the network are not connected to its main part "
                         "(%(nodes)s of %(total)s nodes), the largest near %(names)s; places "
                         "that join the network there reach only that part."),
    "compound_no_point": _("Compound %(name)s (%(code)s) has no location: it is left out of "
                           "the walking times."),
    "compound_unsnapped": _("Compound %(name)s (%(code)s) lies %(metres)s metres from the "
                            "nearest street, more than the %(limit)s metres allowed: it is "
                            "left out of the walking times."),
    "compound_no_path": _("Compound %(name)s (%(code)s) has no walking path to any station "
                          "(it joins a part of the network that no station is on)."),
    "compound_no_residents": _("Compound %(name)s (%(code)s) has no recorded residents; it "
                               "counts as 0 residents."),
    "facility_unsnapped": _("%(kind)s %(name)s lies %(metres)s metres from the nearest street, "
                            "more than the %(limit)s metres allowed: it is left out."),
    "no_facility_of_kind": _("No %(kind)s is on the facility list: its times are not shown."),
    "failed": _("The run stopped with an unexpected error; the worker's log names it."),
    "no_compounds": _("There are no compounds in this area to measure from."),
    "no_stations": _("No service station is on the facility list: add the stations (with "
                     "their locations) first."),
})


def render(stored: dict | None) -> str:  # type: ignore[type-arg]
    """A stored text in the reader's language; a facility kind is stored as its key and
    named here, so no language is frozen into the row."""
    from shequ.access.models import FacilityKind

    if not stored:
        return ""
    params = dict(stored.get("params") or {})
    kind = params.get("kind")
    if kind in FacilityKind.values:
        params["kind"] = str(FacilityKind(kind).label)
    if isinstance(params.get("names"), list):
        params["names"] = "、".join(island_name(i) for i in params["names"])
    return TEXTS.render({"text": stored.get("text"), "params": params})


def island_name(island: dict) -> str:  # type: ignore[type-arg]
    """A part of the network by a street name in it, else by one of its nodes."""
    return str(island.get("name") or _("OSM node %(id)s") % {"id": island.get("node", "")})


def failure(exc: Exception) -> dict:  # type: ignore[type-arg]
    """What a failed run stores: the refusal's own text when it has one, never a
    sentence in the worker's language."""
    code = getattr(exc, "code", "")
    return TEXTS.stored(code if code in TEXTS else "failed")
