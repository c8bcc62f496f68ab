"""The vocabulary of ``access``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "access.view"          # coverage pages, maps, tables, siting answers
    ANALYSE = "access.analyse"    # run a coverage analysis or a siting question
    MANAGE = "access.manage"      # import networks, keep the facility list


class Code(StrEnum):
    BAD_PBF = "bad_pbf"
    NO_NETWORK = "no_network"
    NO_COMPOUNDS = "no_compounds"
    NO_STATIONS = "no_stations"
    NOT_AN_AREA = "not_an_area"
    FACILITY_EXISTS = "facility_exists"
    BAD_POINT = "bad_point"
    BAD_FLOOR_AREA = "bad_floor_area"
    BAD_K = "bad_k"
    BAD_BAND = "bad_band"
    BAD_TIME_LIMIT = "bad_time_limit"
    NOT_READY = "not_ready"
    NOT_COMMUNITY = "not_a_community"


class AuditAction(StrEnum):
    NETWORK_IMPORT = "access.network.import"
    FACILITY_SAVE = "access.facility.save"
    FACILITY_DELETE = "access.facility.delete"
    ANALYSIS_REQUEST = "access.analysis.request"
    SITING_REQUEST = "access.siting.request"
