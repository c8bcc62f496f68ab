"""The only writers of ``access``: one file per sub-domain (networks, facilities,
analyses, siting). Heavy work (reading an extract, shortest paths, solving) runs in the
worker or the CLI, never in a request: pages and the API create a queued row and the
worker moves it (ADR 0801)."""

from shequ.access.services.analysis import request_analysis, run_analysis
from shequ.access.services.facilities import (
    delete_facility,
    import_facilities,
    save_facility,
    sync_stations,
)
from shequ.access.services.networks import (
    import_generated,
    import_pbf,
    load_network,
    retire_network,
    start_import,
)
from shequ.access.services.siting import request_siting, run_siting

__all__ = [
    "delete_facility",
    "import_facilities",
    "import_generated",
    "import_pbf",
    "load_network",
    "request_analysis",
    "request_siting",
    "retire_network",
    "run_analysis",
    "run_siting",
    "save_facility",
    "start_import",
    "sync_stations",
]
