"""The lifecycles of a network import, a coverage analysis and a siting run.

Imports and runs are moved by the worker (as ``authz.SYSTEM``) or the CLI; a person
retires a network they no longer want used. Failures are states with a stored reason,
never a silent stop.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shequ.access.enums import Perm
from shequ.access.models import (
    Analysis,
    Network,
    NetworkAction,
    NetworkState,
    RunAction,
    RunState,
    SitingRun,
)
from shequ.lifecycle import Lifecycle, Step

NETWORK: Lifecycle[Network] = Lifecycle(
    "access.network", noun=_("walking network"), states=NetworkState, actions=NetworkAction,
    steps=[
        Step(NetworkAction.COMPLETE, (NetworkState.PENDING,), NetworkState.READY,
             perm=Perm.MANAGE),
        Step(NetworkAction.FAIL, (NetworkState.PENDING,), NetworkState.FAILED,
             perm=Perm.MANAGE),
        Step(NetworkAction.RETIRE, (NetworkState.READY,), NetworkState.RETIRED,
             perm=Perm.MANAGE),
    ])

_RUN_STEPS = [
    Step(RunAction.START, (RunState.QUEUED,), RunState.RUNNING, perm=Perm.ANALYSE),
    Step(RunAction.FINISH, (RunState.RUNNING,), RunState.DONE, perm=Perm.ANALYSE),
    Step(RunAction.FAIL, (RunState.QUEUED, RunState.RUNNING), RunState.FAILED,
         perm=Perm.ANALYSE),
]

ANALYSIS: Lifecycle[Analysis] = Lifecycle(
    "access.analysis", noun=_("coverage analysis"), states=RunState, actions=RunAction,
    steps=_RUN_STEPS)

SITING: Lifecycle[SitingRun] = Lifecycle(
    "access.siting", noun=_("siting run"), states=RunState, actions=RunAction,
    steps=_RUN_STEPS)
