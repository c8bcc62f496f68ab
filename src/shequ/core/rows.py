"""Inserting rows with SQL built once per model, for the hot paths: a case submission
writes its case, first event and notice, and every use case an audit entry.

Django builds the ``INSERT`` of every ``save()`` anew from the model's metadata; on this
machine that costs several times the database round trip itself. Here the statement is
built once per (database, model, whether the key is given) and reused; each value still
goes through the field's own ``pre_save`` and ``get_db_prep_save``, exactly as Django's
insert compiler does, so what lands in the row is the same as ``save()`` would write.

Only for plain models: if the model overrides ``save()`` or any ``pre_save``/``post_save``
receiver listens to it, the ordinary ``save()`` runs instead, so nothing is ever skipped.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)

# (database, model, key given) -> (INSERT without RETURNING, its fields, RETURNING clause
# or "" where the key is given or the database cannot return it)
_PLANS: dict[tuple[str, type[Model], bool], tuple[str, list[Field[Any, Any]], str]] = {}


def _plan(using: str, model: type[Model], with_pk: bool
          ) -> tuple[str, list[Field[Any, Any]], str]:
    key = (using, model, with_pk)
    plan = _PLANS.get(key)
    if plan is None:
        conn = connections[using]
        meta = model._meta
        auto = meta.auto_field
        fields: list[Field[Any, Any]] = [
            f for f in meta.local_concrete_fields
            if not getattr(f, "generated", False) and (with_pk or f is not auto)]
        qn = conn.ops.quote_name  # names come from the model, values are parameters
        sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(str(f.column)) for f in fields)}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        returning = (f" RETURNING {qn(str(meta.pk.column))}"
                     if not with_pk and auto is not None
                     and conn.features.can_return_columns_from_insert else "")
        plan = _PLANS[key] = (sql, fields, returning)
    return plan


def _values(obj: Model, fields: list[Field[Any, Any]], alias: str) -> list[Any]:
    conn = connections[alias]
    return [f.get_db_prep_save(f.pre_save(obj, True), connection=conn) for f in fields]


def _plain(model: type[Model]) -> bool:
    """No save signal listens and save() is Django's own: nothing would be skipped."""
    return (model.save is Model.save
            and not (pre_save.has_listeners(model) or post_save.has_listeners(model)))


def joinable(alias: str = "default") -> bool:
    """Whether several writes can go as one statement (PostgreSQL's data-modifying
    ``WITH``); elsewhere they go one by one."""
    return connections[alias].vendor == "postgresql"


def insert_sql(obj: Model, *, using: str = "default") -> tuple[str, list[Any]]:
    """The ``INSERT`` of ``obj`` (no key returned), for joining with other writes."""
    model = type(obj)
    if not _plain(model):
        raise ValueError(f"{model.__name__} has its own save() or save signals; use insert()")
    sql, fields, _returning = _plan(using, model, obj.pk is not None)
    return sql, _values(obj, fields, using)


def insert_all(objs: list[Model], *, using: str = "default") -> None:
    """Insert rows whose keys the caller does not need, in one round trip on PostgreSQL
    (``WITH a AS (INSERT …), b AS (INSERT …) INSERT …``), one by one elsewhere. The
    objects' keys are not set."""
    if not joinable(using) or len(objs) < 2 or not all(_plain(type(o)) for o in objs):
        for obj in objs:
            insert(obj, using=using)
        return
    parts = [insert_sql(obj, using=using) for obj in objs]
    head = ", ".join(f"w{i} AS ({sql})" for i, (sql, _p) in enumerate(parts[:-1]))
    params = [p for _sql, ps in parts for p in ps]
    with connections[using].cursor() as cur:
        cur.execute(f"WITH {head} {parts[-1][0]}", params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def insert(obj: M, *, using: str | None = None) -> M:
    """Insert the unsaved ``obj`` (like ``obj.save(force_insert=True)``) and return it
    with its primary key set."""
    model = type(obj)
    alias = using or router.db_for_write(model, instance=obj)
    if not _plain(model):
        obj.save(force_insert=True, using=alias)
        return obj
    with_pk = obj.pk is not None
    sql, fields, returning = _plan(alias, model, with_pk)
    conn = connections[alias]
    values = _values(obj, fields, alias)
    with conn.cursor() as cur:
        cur.execute(sql + returning, values)
        if not with_pk:
            meta = model._meta
            if returning:
                pk = cur.fetchone()[0]
            else:
                pk = conn.ops.last_insert_id(cur, meta.db_table, str(meta.pk.column))
            obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias
    return obj
