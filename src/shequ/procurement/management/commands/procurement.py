"""``shequ procurement``: budget lines, a project's state, spending figures. Acts as the
system; refusals are printed as errors naming the rule."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.procurement import selectors, services
from shequ.procurement.models import Buyer, Contract, Project


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:,.2f}"


class Command(BaseCommand):
    help = "Government purchase of services: budget lines, projects, spending."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        budget = sub.add_parser("budget", help="open a budget line for a buyer and year")
        budget.add_argument("buyer", help="the buyer's name, e.g. 锦江区民政局")
        budget.add_argument("year", type=int)
        budget.add_argument("yuan", help="amount in yuan, e.g. 1200000 or 1200000.50")
        budget.add_argument("--title", default="政府购买社会组织服务")
        show = sub.add_parser("show", help="a project: state, periods, bids, contract")
        show.add_argument("number")
        spend = sub.add_parser("spending", help="contract value by year, category, buyer or "
                                                "supplier")
        spend.add_argument("--by", choices=["year", "category", "buyer", "supplier"],
                           default="year")
        spend.add_argument("--year", type=int, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from exc

    def _budget(self, opts: dict[str, Any]) -> None:
        buyer = Buyer.objects.filter(name=opts["buyer"]).first()
        if buyer is None:
            raise CommandError(f"unknown buyer: {opts['buyer']}")
        try:
            fen = int(Decimal(opts["yuan"]) * 100)
        except InvalidOperation:
            raise CommandError(f"not an amount: {opts['yuan']}") from None
        line = services.save_budget_line(actor=SYSTEM, buyer_id=buyer.pk, year=opts["year"],
                                         title=opts["title"], amount_fen=fen)
        self.stdout.write(f"{buyer.name} {line.year} {line.title}: {_yuan(line.amount_fen)}")

    def _show(self, opts: dict[str, Any]) -> None:
        p = Project.objects.select_related("buyer", "item").filter(number=opts["number"]).first()
        if p is None:
            raise CommandError(f"no project {opts['number']}")
        w = self.stdout.write
        w(f"{p.number} {p.title}")
        w(f"  {p.ocid}  {p.buyer.name}  {p.item.code} {p.item.name}  {p.get_method_display()}")
        w(f"  {p.get_state_display()}  budget {_yuan(p.budget_fen)}  "
          f"published {p.published_on or '—'}  bids due {p.bid_deadline or '—'}  "
          f"awarded {p.awarded_on or '—'}  standstill until {p.standstill_until or '—'}")
        for b in p.bids.select_related("org").order_by("rank", "id"):
            w(f"  bid #{b.rank or '-'} {b.org.name}: {_yuan(b.price_fen)} "
              f"{b.score or ''} {b.get_state_display()}")
        c = Contract.objects.filter(project=p).first()
        if c is not None:
            w(f"  contract {_yuan(c.value_fen)}, paid {_yuan(c.paid_fen)}, "
              f"{c.starts_on}–{c.ends_on}, {c.get_state_display()}")

    def _spending(self, opts: dict[str, Any]) -> None:
        for f in selectors.spending(by=opts["by"], year=opts["year"]):
            self.stdout.write(f"{f.label}\t{f.contracts}\t{_yuan(f.value_fen)}\t"
                              f"{_yuan(f.paid_fen)}")
        t = selectors.totals(year=opts["year"])
        self.stdout.write(f"total\t{t.contracts}\t{_yuan(t.value_fen)}\t{_yuan(t.paid_fen)}")
