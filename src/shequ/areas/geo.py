"""GeoJSON validation for boundaries and points (shapely), in WGS 84 longitude/latitude."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape
from shapely.validation import explain_validity

from shequ.core.errors import BusinessError

# A generous box around China; a swapped latitude/longitude pair falls outside it.
CHINA_BOUNDS = (73.0, 3.0, 136.0, 54.0)


class InvalidGeometry(BusinessError):
    default_code = "invalid_geometry"


def validate(geojson: Any, *, allowed: tuple[str, ...]) -> dict[str, Any]:
    """Return the geometry as a plain dict, or raise saying what is wrong."""
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or "type" not in geojson:
        raise InvalidGeometry(_("Not a GeoJSON geometry."))
    if geojson["type"] not in allowed:
        raise InvalidGeometry(_("Expected %(allowed)s, got %(got)s.")
                              % {"allowed": " / ".join(allowed), "got": geojson["type"]},
                              details={"allowed": list(allowed), "got": geojson["type"]})
    try:
        geom = shape(geojson)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise InvalidGeometry(_("The coordinates cannot be read: %(e)s") % {"e": exc}) from None
    if geom.is_empty:
        raise InvalidGeometry(_("The geometry is empty."))
    if not geom.is_valid:
        raise InvalidGeometry(_("The geometry is invalid: %(why)s") % {"why": explain_validity(geom)},
                              details={"reason": explain_validity(geom)})
    minx, miny, maxx, maxy = geom.bounds
    bx0, by0, bx1, by1 = CHINA_BOUNDS
    if minx < bx0 or maxx > bx1 or miny < by0 or maxy > by1:
        raise InvalidGeometry(_("The coordinates lie outside China; are longitude and latitude "
                                "swapped?"), details={"bounds": [minx, miny, maxx, maxy]})
    return dict(geojson)


def validate_boundary(geojson: Any) -> dict[str, Any]:
    return validate(geojson, allowed=("Polygon", "MultiPolygon"))


def validate_point(geojson: Any) -> dict[str, Any]:
    return validate(geojson, allowed=("Point",))
