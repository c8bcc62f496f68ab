"""Maps as PNG with matplotlib (Agg, no tile server, no font needed: the map carries no
text; the page beside it holds the legend and the table) and as GeoJSON."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from shequ.access.engine.network import WalkNetwork

# minute bands -> colour (colour-blind safe, from ColorBrewer's RdYlBu), outside: red
BAND_COLOURS = ["#1a9850", "#91cf60", "#fee08b"]
OUTSIDE_COLOUR = "#d73027"
UNREACHABLE_COLOUR = "#7f0000"
STATION_COLOUR = "#2c3e8f"
NEW_SITE_COLOUR = "#9b30d9"
NETWORK_COLOUR = "#b8b8b8"


@dataclass
class MapPoint:
    lon: float
    lat: float
    minutes: float | None = None  # None: no path to any station
    weight: float = 1.0


def band_colour(minutes: float | None, bands: Sequence[int]) -> str:
    if minutes is None or math.isinf(minutes):
        return UNREACHABLE_COLOUR
    for band, colour in zip(bands, BAND_COLOURS, strict=False):
        if minutes <= band:
            return colour
    return OUTSIDE_COLOUR


def png(network: WalkNetwork | None, compounds: Sequence[MapPoint],
        stations: Sequence[MapPoint], bands: Sequence[int],
        new_sites: Sequence[MapPoint] = (), size: tuple[float, float] = (8.0, 8.0),
        dpi: int = 110, bbox: tuple[float, float, float, float] | None = None) -> bytes:
    """The network in grey, compounds as dots sized by residents and coloured by their
    band, stations as squares, proposed sites as stars."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=dpi)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    pts = [*compounds, *stations, *new_sites]
    if bbox is None and pts:
        lons = [p.lon for p in pts]
        lats = [p.lat for p in pts]
        pad = 0.004
        bbox = (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad)
    if network is not None:
        seg = np.stack([np.column_stack([network.lon[network.u], network.lat[network.u]]),
                        np.column_stack([network.lon[network.v], network.lat[network.v]])],
                       axis=1)
        if bbox is not None:
            x0, y0, x1, y1 = bbox
            inside = ((seg[:, :, 0] >= x0).any(1) & (seg[:, :, 0] <= x1).any(1)
                      & (seg[:, :, 1] >= y0).any(1) & (seg[:, :, 1] <= y1).any(1))
            seg = seg[inside]
        ax.add_collection(LineCollection(list(seg), colors=NETWORK_COLOUR, linewidths=0.5, zorder=1))
    if compounds:
        w = np.asarray([max(p.weight, 1.0) for p in compounds])
        sizes = 8 + 60 * np.sqrt(w / w.max())
        ax.scatter([p.lon for p in compounds], [p.lat for p in compounds], s=sizes,
                   c=[band_colour(p.minutes, bands) for p in compounds], edgecolors="#333333",
                   linewidths=0.3, zorder=3)
    if stations:
        ax.scatter([p.lon for p in stations], [p.lat for p in stations], s=70, marker="s",
                   c=STATION_COLOUR, edgecolors="white", linewidths=0.8, zorder=4)
    if new_sites:
        ax.scatter([p.lon for p in new_sites], [p.lat for p in new_sites], s=200, marker="*",
                   c=NEW_SITE_COLOUR, edgecolors="white", linewidths=0.8, zorder=5)
    if bbox is not None:
        x0, y0, x1, y1 = bbox
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        mid = math.radians((y0 + y1) / 2)
        ax.set_aspect(1 / max(math.cos(mid), 1e-6))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def feature(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}


def collection(features: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features, **meta}
