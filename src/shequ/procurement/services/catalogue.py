"""The guidance catalogue, buyers and their budget lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.procurement.enums import AuditAction, Code, Perm
from shequ.procurement.models import (
    BudgetLine,
    Buyer,
    BuyerKind,
    Catalogue,
    CatalogueCategory,
    CatalogueItem,
)
from shequ.procurement.services._common import fen, locked_line, text, today, yuan

DISTRICT_LEN = 6

CategorySpec = tuple[str, str, Sequence[tuple[str, str, str]]]


def publish_catalogue(*, actor: Any, version: str, title: str, categories: Sequence[CategorySpec],
                      area_code: str, on: date | None = None) -> Catalogue:
    """Publish a new version of the guidance catalogue: ``categories`` are ``(code, name,
    items)`` with items ``(code, name, description)``. A published version is never
    edited; a change is a new version."""
    day = today(on)
    authz.check(actor, Perm.CATALOGUE, area_code)
    version = text(version, _("the version"), 20)
    title = text(title, _("the title"), 120)
    if not categories or not all(items for _c, _n, items in categories):
        raise BusinessError(_("A catalogue has at least one category, each with at least one "
                              "item."), code=Code.ITEM_NOT_IN_CATALOGUE)
    with transaction.atomic():
        if Catalogue.objects.filter(version=version).exists():
            raise Conflict(_("Catalogue version %(v)s is already published; publish a new "
                             "version instead.") % {"v": version}, code=Code.CATALOGUE_DRAFT)
        catalogue = Catalogue.objects.create(version=version, title=title, published_on=day)
        count = 0
        for code, name, items in categories:
            category = CatalogueCategory.objects.create(catalogue=catalogue, code=code,
                                                        name=text(name, _("a category"), 60))
            CatalogueItem.objects.bulk_create(
                CatalogueItem(category=category, code=i_code, name=text(i_name, _("an item"), 80),
                              description=desc) for i_code, i_name, desc in items)
            count += len(items)
        record(actor=actor, action=AuditAction.CATALOGUE_PUBLISH, obj=catalogue,
               area_code=area_code, changes={"version": version, "categories": len(categories),
                                             "items": count, "published_on": day})
    return catalogue


def save_buyer(*, actor: Any, name: str, kind: str, area_code: str) -> Buyer:
    """Enter a purchasing unit: a district department at the district's code or a street
    office at its street's code (idempotent by name)."""
    authz.check(actor, Perm.BUDGET, area_code)
    name = text(name, _("the buyer's name"), 60)
    if kind not in BuyerKind.values:
        raise BusinessError(_("A buyer is a district department or a street office."),
                            code=Code.UNKNOWN_BUYER)
    if not Area.objects.filter(code=area_code).exists():
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": area_code}, code=Code.UNKNOWN_BUYER)
    with transaction.atomic():
        buyer, created = Buyer.objects.get_or_create(
            name=name, defaults={"kind": kind, "area_code": area_code})
        if created:
            record(actor=actor, action=AuditAction.BUYER_SAVE, obj=buyer, area_code=area_code,
                   changes={"name": name, "kind": kind})
    return buyer


def save_budget_line(*, actor: Any, buyer_id: int, year: int, title: str, amount_fen: int,
                     line_id: int | None = None) -> BudgetLine:
    """Open a budget line for purchased services, or change its amount. The amount never
    falls below what projects have already committed."""
    buyer = Buyer.objects.filter(pk=buyer_id).first()
    if buyer is None:
        raise NotFound(_("No such buyer."), code=Code.UNKNOWN_BUYER)
    authz.check(actor, Perm.BUDGET, buyer.area_code)
    amount_fen = fen(amount_fen, _("The amount"))
    title = text(title, _("the budget line's title"), 80)
    if not 2000 <= int(year) <= 2100:
        raise BusinessError(_("Give a budget year between 2000 and 2100."), code=Code.BAD_YEAR)
    with transaction.atomic():
        if line_id is not None:
            line = locked_line(line_id)
            if line.buyer_id != buyer.pk:
                raise NotFound(_("No such budget line."), code=Code.UNKNOWN_BUDGET)
            if amount_fen < line.committed_fen:
                raise BusinessError(
                    _("Projects have already committed %(c)s yuan of this line; the amount "
                      "cannot be lower.") % {"c": yuan(line.committed_fen)},
                    code=Code.BUDGET_BELOW_COMMITTED)
            before = line.amount_fen
            line.amount_fen, line.title = amount_fen, title
            line.save(update_fields=["amount_fen", "title"])
            changes: dict[str, Any] = {"amount_fen": [before, amount_fen]}
        else:
            if BudgetLine.objects.filter(buyer=buyer, year=year, title=title).exists():
                raise Conflict(_("%(buyer)s already has a budget line “%(title)s” for %(year)s.")
                               % {"buyer": buyer.name, "title": title, "year": year},
                               code=Code.UNKNOWN_BUDGET)
            line = BudgetLine.objects.create(buyer=buyer, year=year, title=title,
                                             amount_fen=amount_fen, area_code=buyer.area_code)
            changes = {"buyer": buyer.name, "year": year, "amount_fen": amount_fen}
        record(actor=actor, action=AuditAction.BUDGET_SAVE, obj=line,
               area_code=buyer.area_code, changes=changes)
    return line
