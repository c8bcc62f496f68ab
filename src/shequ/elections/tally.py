"""The counting engine: pure functions, no database.

Input is a plain dictionary (the JSON format documented in ``docs/elections.md``):
a rule profile, the posts with their seats and formal candidates, the number of
registered voters, and one or more rounds of station tallies. Output is a plain
dictionary too. The database side (``services.count``), the API (``POST /tally``), the
``shequ elections tally`` command and the benchmark all call :func:`count_election`, so
they cannot disagree.

Rules applied (each cited from the profile):

* a tally that does not add up is refused (:class:`TallyError`): more ballots issued
  than registered voters, more ballots invalid for a post than returned, a candidate
  with more for/against/abstain marks than valid ballots, more names marked than
  ``valid ballots × seats``;
* the election is **void** when more ballots are returned than were issued;
* it is **invalid** unless more than half of the registered voters voted;
* a candidate is elected with more than half of the ballots cast; when more candidates
  pass than there are seats, the most votes win and a tie at the last seat leaves it
  unfilled;
* a person elected to an earlier post (chair before vice-chair before member) is not
  counted again for a later one;
* unfilled seats go to a supplementary round (另行选举) among the best-placed unelected
  people; there the most votes win, but not with fewer than one third of the ballots
  cast, so a seat may stay empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.core.errors import BusinessError
from shequ.elections.enums import Code
from shequ.elections.rules import profile_from, rule_in
from shequ.elections.texts import TEXTS
from shequ.rules import Profile, Rule, parse_share, share_met, share_needed

FIRST, SUPPLEMENTARY = "first", "supplementary"

# Outcomes of a round, and of the whole election.
COMPLETE = "complete"            # every seat filled
UNFILLED = "unfilled"            # some seats unfilled: a supplementary round is needed
VACANT = "vacant"                # after the supplementary round seats remain empty
INVALID_TURNOUT = "invalid_turnout"
VOID = "void"
RECALLED = "recalled"            # a recall vote (ADR 0612): valid and approved
NOT_RECALLED = "not_recalled"    # valid, not approved by more than half of the ballots cast
OUTCOMES = (COMPLETE, UNFILLED, VACANT, INVALID_TURNOUT, VOID, RECALLED, NOT_RECALLED)
RECALL = "recall"                # the document's ``kind`` and the recall ballot's one post


class TallyError(BusinessError):
    """The figures do not add up (or the document is malformed); nothing was counted."""

    default_code = Code.TALLY_DOES_NOT_ADD_UP
    status = 422


def _refuse(message: Any, rule: str, citation: str, **details: Any) -> TallyError:
    return TallyError(message, details={"rule": rule, "citation": citation, **details})


def _finding(rule: Rule, passed: bool, text: str, **params: Any) -> dict[str, Any]:
    """A finding of the count: the rule, whether it passed, and its text as a key with
    figures (rendered in the reader's language, never stored as a sentence)."""
    return {"rule": rule.key, "passed": passed, "citation": str(rule.citation),
            "verified": rule.verified, **TEXTS.stored(text, **params)}


@dataclass
class Mark:
    """One candidate's marks at one station for one post."""

    votes_for: int = 0
    against: int = 0
    abstain: int = 0


# No community has ten million voters: a larger figure is a typing or file error, refused
# before any arithmetic (10^30 registered voters was accepted, issue 13 item 10).
MAX_FIGURE = 9_999_999


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TallyError(_("%(where)s must be a whole number of 0 or more.") % {"where": where},
                         code=Code.TALLY_MALFORMED, details={"where": where, "value": str(value)})
    if value > MAX_FIGURE:
        raise TallyError(_("%(where)s is %(value)s: more than %(max)s, which no community has.")
                         % {"where": where, "value": f"{value:,}", "max": f"{MAX_FIGURE:,}"},
                         code=Code.TALLY_MALFORMED,
                         details={"where": where, "value": str(value), "max": MAX_FIGURE})
    return value


def _marks(value: Any, where: str) -> Mark:
    if isinstance(value, Mapping):
        return Mark(_int(value.get("for", 0), where), _int(value.get("against", 0), where),
                    _int(value.get("abstain", 0), where))
    return Mark(_int(value, where))


def check_station(station: Mapping[str, Any], posts: Mapping[str, int], profile: Profile,
                  candidates: Mapping[str, Iterable[str]] | None = None,
                  labels: Mapping[str, str] | None = None) -> None:
    """Refuse a station tally that does not add up. ``posts`` maps post code to seats;
    ``labels`` post code to the post's name on the ballot (what messages show)."""
    name = str(station.get("station", "?"))
    issued = _int(station.get("issued", 0), f"{name}.issued")
    returned = _int(station.get("returned", 0), f"{name}.returned")
    del issued  # more returned than issued is not an addition error: it voids the election
    cite_invalid = str(profile.rule("overmarked_ballot_invalid").citation)
    for code, tally in (station.get("posts") or {}).items():
        if code not in posts:
            raise TallyError(_("Station %(station)s reports a post %(post)s that is not on the ballot.")
                             % {"station": name, "post": code}, code=Code.TALLY_MALFORMED,
                             details={"station": name, "post": code})
        seats = posts[code]
        label = (labels or {}).get(code, code)
        invalid = _int(tally.get("invalid", 0), f"{name}.{code}.invalid")
        if invalid > returned:
            raise _refuse(_("Station %(station)s: more ballots invalid for %(post)s (%(invalid)d) "
                            "than ballots returned (%(returned)d).")
                          % {"station": name, "post": label, "invalid": invalid, "returned": returned},
                          "ballots_add_up", cite_invalid, station=name, post=code)
        valid = returned - invalid
        total_for = 0
        known = set(candidates[code]) if candidates is not None and code in candidates else None
        for person, raw in (tally.get("votes") or {}).items():
            mark = _marks(raw, f"{name}.{code}.{person}")
            if known is not None and person not in known:
                raise TallyError(_("Station %(station)s: %(person)s is not a candidate for %(post)s; "
                                   "enter votes for other people as write-ins.")
                                 % {"station": name, "person": person, "post": label},
                                 code=Code.TALLY_MALFORMED, details={"station": name, "person": person})
            if mark.votes_for + mark.against + mark.abstain > valid:
                raise _refuse(_("Station %(station)s: %(person)s has more marks (%(marks)d) than valid "
                                "ballots for %(post)s (%(valid)d).")
                              % {"station": name, "person": person, "post": label, "valid": valid,
                                 "marks": mark.votes_for + mark.against + mark.abstain},
                              "ballots_add_up", cite_invalid, station=name, post=code, person=person)
            total_for += mark.votes_for
        for person, raw in (tally.get("write_ins") or {}).items():
            total_for += _int(raw, f"{name}.{code}.write_ins.{person}")
        if total_for > valid * seats:
            raise _refuse(_("Station %(station)s: %(marked)d names marked for %(post)s, but %(valid)d "
                            "valid ballots with %(seats)d seat(s) allow at most %(most)d.")
                          % {"station": name, "marked": total_for, "post": label, "valid": valid,
                             "seats": seats, "most": valid * seats},
                          "ballots_add_up", cite_invalid, station=name, post=code)


def _share(part: int, whole: int) -> str:
    if not whole:
        return "0.0000"
    scaled = (part * 10000 * 2 + whole) // (2 * whole)  # rounded half up, exact
    return f"{scaled // 10000}.{scaled % 10000:04d}"


def count_round(*, profile: Profile, registered: int, posts: list[dict[str, Any]],
                stations: list[Mapping[str, Any]], kind: str = FIRST,
                elected_before: Iterable[str] = ()) -> dict[str, Any]:
    """Count one round. ``posts``: ``[{"post", "label", "seats", "candidates"}]`` in ballot
    order (higher posts first). Returns the round's result dictionary."""
    registered = _int(registered, "registered")
    seats_by_post = {p["post"]: _int(p["seats"], f"{p['post']}.seats") for p in posts}
    formal = {p["post"]: [str(c) for c in p.get("candidates", [])] for p in posts}
    for station in stations:
        check_station(station, seats_by_post, profile, formal,
                      {p["post"]: str(p.get("label") or p["post"]) for p in posts})
    issued = sum(int(s.get("issued", 0)) for s in stations)
    returned = sum(int(s.get("returned", 0)) for s in stations)
    if issued > registered:
        raise _refuse(_("%(issued)d ballots issued but only %(registered)d voters registered.")
                      % {"issued": issued, "registered": registered}, "ballots_add_up",
                      str(profile.rule("one_roll_only").citation), issued=issued,
                      registered=registered)
    findings: list[dict[str, Any]] = []
    result: dict[str, Any] = {
        "round": kind, "registered": registered, "issued": issued, "returned": returned,
        "turnout": _share(returned, registered), "stations": len(stations), "findings": findings,
        "posts": [],
    }
    void_rule = profile.rule("void_if_returned_exceeds_issued")
    over = [str(s.get("station", "?")) for s in stations
            if int(s.get("returned", 0)) > int(s.get("issued", 0))]
    if void_rule.value and returned > issued:
        findings.append({**_finding(void_rule, False, "void", returned=returned, issued=issued),
                         "stations": over})
        result["outcome"] = VOID
        return result
    findings.append({**_finding(void_rule, True, "not_void", returned=returned, issued=issued),
                     "stations": over})
    turnout_rule = profile.rule("turnout_for_validity")
    valid = share_met(str(turnout_rule.value), returned, registered)
    findings.append(_finding(turnout_rule, valid, "turnout", returned=returned,
                             registered=registered, share=str(turnout_rule.value)))
    if not valid:
        result["outcome"] = INVALID_TURNOUT
        return result

    threshold_rule = profile.rule("majority_to_win" if kind == FIRST else "supplementary_floor")
    share = str(threshold_rule.value)

    frac, strict = parse_share(share)  # once per round: the engine counts 34,000 a night

    def meets(votes: int) -> bool:
        if returned <= 0:
            return False
        lhs, rhs = votes * frac.denominator, frac.numerator * returned
        return lhs > rhs if strict else lhs >= rhs

    findings.append(_finding(threshold_rule, True, f"threshold_{kind}", returned=returned,
                             share=share, needed=share_needed(share, returned)))

    taken = set(elected_before)
    any_unfilled = False
    for post in posts:
        code = post["post"]
        seats = seats_by_post[code]
        marks: dict[str, Mark] = {name: Mark() for name in formal[code]}
        write_in: set[str] = set()
        invalid = 0
        for station in stations:
            tally = (station.get("posts") or {}).get(code) or {}
            invalid += int(tally.get("invalid", 0))
            for person, raw in (tally.get("votes") or {}).items():
                m = _marks(raw, person)
                total = marks.setdefault(person, Mark())
                total.votes_for += m.votes_for
                total.against += m.against
                total.abstain += m.abstain
            for person, raw in (tally.get("write_ins") or {}).items():
                if person not in formal[code]:
                    write_in.add(person)
                marks.setdefault(person, Mark()).votes_for += int(raw)
        ranked = sorted(marks.items(), key=lambda kv: (-kv[1].votes_for, kv[0]))
        eligible = [(n, m) for n, m in ranked if n not in taken]
        passing = [(n, m) for n, m in eligible if meets(m.votes_for)]
        elected: list[str] = []
        tied: list[str] = []
        if len(passing) <= seats:
            elected = [n for n, _m in passing]
        else:
            cut = passing[seats - 1][1].votes_for if seats else None
            nxt = passing[seats][1].votes_for
            if cut == nxt:
                elected = [n for n, m in passing if m.votes_for > nxt]
                tied = [n for n, m in passing if m.votes_for == nxt]
            else:
                elected = [n for n, _m in passing[:seats]]
        taken.update(elected)
        unfilled = seats - len(elected)
        any_unfilled = any_unfilled or unfilled > 0
        people = []
        for n, m in ranked:
            if n in elected:
                status = "elected"
            elif n in tied:
                status = "tied"
            elif n in taken:
                status = "elected_to_other_post"
            elif meets(m.votes_for):
                status = "passed_but_outranked"
            else:
                status = "below_threshold"
            people.append({"name": n, "for": m.votes_for, "against": m.against,
                           "abstain": m.abstain, "write_in": n in write_in, "status": status})
        result["posts"].append({
            "post": code, "label": post.get("label", code), "seats": seats,
            "ballots_invalid": invalid, "ballots_valid": returned - invalid,
            "candidates": people, "elected": elected, "ties": tied, "unfilled": unfilled,
        })
    if not any_unfilled:
        result["outcome"] = COMPLETE
    else:
        result["outcome"] = UNFILLED if kind == FIRST else VACANT
    return result


def supplementary_posts(first: Mapping[str, Any], profile: Profile) -> list[dict[str, Any]]:
    """The ballot of the supplementary round: for each post with unfilled seats, the
    best-placed people not elected (unfilled + extra, widened to include a tie at the
    cut), most votes first."""
    extra = profile.number("supplementary_extra_candidates")
    out = []
    for post in first.get("posts", []):
        if not post["unfilled"]:
            continue
        pool = [c for c in post["candidates"] if c["status"] in ("tied", "passed_but_outranked",
                                                                  "below_threshold") and c["for"] > 0]
        want = post["unfilled"] + extra
        chosen = pool[:want]
        if chosen and len(pool) > want:
            last = chosen[-1]["for"]
            chosen += [c for c in pool[want:] if c["for"] == last]
        out.append({"post": post["post"], "label": post["label"], "seats": post["unfilled"],
                    "candidates": [c["name"] for c in chosen]})
    return out


def count_recall(doc: Mapping[str, Any], profile: Profile) -> dict[str, Any]:
    """Count a recall vote (``"kind": "recall"``): one question, "是否罢免 X", marked for
    (approve), against or abstain on each ballot. 村民委员会组织法 第十六条第二款: valid only if
    more than half of the registered voters vote (``recall_turnout``); the person is
    recalled with the approval of more than half of those who voted (``recall_approval``:
    of the ballots returned, invalid ones included, as for an election, ADR 0605). More
    ballots returned than issued voids the vote, as it voids an election. One round."""
    posts = doc.get("posts")
    if not isinstance(posts, list) or len(posts) != 1 or not isinstance(posts[0], Mapping):
        raise TallyError(_("A recall vote puts one question to the voters."),
                         code=Code.TALLY_MALFORMED)
    post = dict(posts[0])
    code = str(post.get("post") or RECALL)
    subject = [str(c) for c in post.get("candidates", [])]
    if len(subject) != 1:
        raise TallyError(_("A recall vote names exactly one person."), code=Code.TALLY_MALFORMED)
    name = subject[0]
    rounds = doc.get("rounds")
    if rounds is None:
        rounds = [{"stations": doc.get("stations", [])}]
    if not isinstance(rounds, list) or len(rounds) != 1:
        raise TallyError(_("A recall vote has one round."), code=Code.TALLY_MALFORMED)
    stations = list(rounds[0].get("stations", []))
    registered = _int(doc.get("registered", 0), "registered")
    label = str(post.get("label") or code)
    for station in stations:
        check_station(station, {code: 1}, profile, {code: [name]}, {code: label})
    issued = sum(int(s.get("issued", 0)) for s in stations)
    returned = sum(int(s.get("returned", 0)) for s in stations)
    if issued > registered:
        raise _refuse(_("%(issued)d ballots issued but only %(registered)d voters registered.")
                      % {"issued": issued, "registered": registered}, "ballots_add_up",
                      str(profile.rule("one_roll_only").citation), issued=issued,
                      registered=registered)
    marks, invalid = Mark(), 0
    for station in stations:
        tally = (station.get("posts") or {}).get(code) or {}
        invalid += int(tally.get("invalid", 0))
        m = _marks((tally.get("votes") or {}).get(name, 0), name)
        marks.votes_for += m.votes_for
        marks.against += m.against
        marks.abstain += m.abstain
    findings: list[dict[str, Any]] = []
    rnd: dict[str, Any] = {
        "round": FIRST, "registered": registered, "issued": issued, "returned": returned,
        "turnout": _share(returned, registered), "stations": len(stations),
        "findings": findings, "posts": [],
    }
    void_rule = profile.rule("void_if_returned_exceeds_issued")
    over = [str(s.get("station", "?")) for s in stations
            if int(s.get("returned", 0)) > int(s.get("issued", 0))]
    turnout_rule, approval_rule = rule_in(profile, "recall_turnout"), rule_in(profile, "recall_approval")
    if void_rule.value and returned > issued:
        findings.append({**_finding(void_rule, False, "void", returned=returned, issued=issued),
                         "stations": over})
        outcome = VOID
    else:
        findings.append({**_finding(void_rule, True, "not_void", returned=returned,
                                    issued=issued), "stations": over})
        valid = share_met(str(turnout_rule.value), returned, registered)
        findings.append(_finding(turnout_rule, valid, "turnout", returned=returned,
                                 registered=registered, share=str(turnout_rule.value)))
        if not valid:
            outcome = INVALID_TURNOUT
        else:
            share = str(approval_rule.value)
            passed = share_met(share, marks.votes_for, returned)
            findings.append(_finding(approval_rule, passed, "recall_approval",
                                     approve=marks.votes_for, returned=returned, share=share,
                                     needed=share_needed(share, returned)))
            outcome = RECALLED if passed else NOT_RECALLED
    rnd["posts"].append({
        "post": code, "label": label, "seats": 1, "ballots_invalid": invalid,
        "ballots_valid": returned - invalid,
        "candidates": [{"name": name, "for": marks.votes_for, "against": marks.against,
                        "abstain": marks.abstain, "write_in": False, "status": outcome}],
        "elected": [], "ties": [], "unfilled": 0,
    })
    rnd["outcome"] = outcome
    return {
        "profile": {"code": profile.key, "version": profile.version},
        "kind": RECALL,
        "outcome": outcome,
        "rounds": [rnd],
        "supplementary_ballot": [],
        "committee": [{"post": code, "label": label, "seats": 1, "elected": [], "vacant": 0}],
        "recall": {"subject": name, "registered": registered, "issued": issued,
                   "returned": returned, "invalid": invalid, "approve": marks.votes_for,
                   "against": marks.against, "abstain": marks.abstain,
                   "recalled": outcome == RECALLED},
    }


def count_election(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Count a whole election document (one or more rounds); see ``docs/elections.md``.
    A document of ``"kind": "recall"`` is a recall vote (:func:`count_recall`)."""
    try:
        profile = profile_from(doc.get("profile"))
    except BusinessError as exc:
        raise TallyError(exc.message, code=Code.TALLY_MALFORMED, details=exc.details) from None
    if doc.get("kind") == RECALL:
        return count_recall(doc, profile)
    posts = doc.get("posts")
    if not isinstance(posts, list) or not posts:
        raise TallyError(_("The document names no posts."), code=Code.TALLY_MALFORMED)
    for post in posts:
        if not isinstance(post, Mapping) or "post" not in post or "seats" not in post:
            raise TallyError(_("Each post needs a code and a number of seats."), code=Code.TALLY_MALFORMED)
    rounds = doc.get("rounds")
    if rounds is None:
        rounds = [{"stations": doc.get("stations", [])}]
    if not isinstance(rounds, list) or not rounds or len(rounds) > 2:
        raise TallyError(_("An election has one or two rounds."), code=Code.TALLY_MALFORMED)
    registered = doc.get("registered", 0)
    results = []
    first = count_round(profile=profile, registered=registered, posts=[dict(p) for p in posts],
                        stations=rounds[0].get("stations", []), kind=FIRST)
    results.append(first)
    elected = {p["post"]: list(p["elected"]) for p in first.get("posts", [])}
    supplementary: list[dict[str, Any]] = []
    if first["outcome"] == UNFILLED:
        supplementary = supplementary_posts(first, profile)
        if len(rounds) > 1:
            stated = rounds[1].get("posts")
            ballot = supplementary
            if stated is not None:
                ballot = _check_supplementary_ballot(stated, supplementary)
            taken = [n for names in elected.values() for n in names]
            second = count_round(profile=profile, registered=registered, posts=ballot,
                                 stations=rounds[1].get("stations", []), kind=SUPPLEMENTARY,
                                 elected_before=taken)
            results.append(second)
            for p in second.get("posts", []):
                elected[p["post"]].extend(p["elected"])
    elif len(rounds) > 1:
        raise TallyError(_("A supplementary round is held only when seats remain unfilled after a "
                           "valid first round."), code=Code.TALLY_MALFORMED)
    # a void or invalid first round elects nobody; a failed supplementary round leaves
    # the first round's winners in place and the seats vacant
    outcome = first["outcome"]
    final_posts = []
    for post in posts:
        got = elected.get(post["post"], []) if outcome not in (VOID, INVALID_TURNOUT) else []
        final_posts.append({"post": post["post"], "label": post.get("label", post["post"]),
                            "seats": int(post["seats"]), "elected": got,
                            "vacant": int(post["seats"]) - len(got)})
    if len(results) == 1 and outcome == UNFILLED:
        status = "supplementary_round_needed"
    elif outcome in (VOID, INVALID_TURNOUT):
        status = outcome
    elif all(p["vacant"] == 0 for p in final_posts):
        status = COMPLETE
    else:
        status = VACANT
    return {
        "profile": {"code": profile.key, "version": profile.version},
        "outcome": status,
        "rounds": results,
        "supplementary_ballot": supplementary if first["outcome"] == UNFILLED else [],
        "committee": final_posts,
    }


def _check_supplementary_ballot(stated: list[Mapping[str, Any]],
                                derived: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_post = {p["post"]: p for p in derived}
    out = []
    for post in stated:
        code = post.get("post")
        if code not in by_post:
            raise TallyError(_("Post %(post)s has no unfilled seats for a supplementary round.")
                             % {"post": code}, code=Code.TALLY_MALFORMED)
        want = by_post[code]
        names = [str(c) for c in post.get("candidates", want["candidates"])]
        outsiders = [n for n in names if n not in want["candidates"]]
        if outsiders:
            raise TallyError(_("In the supplementary round only the best-placed people not elected may "
                               "stand: %(names)s may not.") % {"names": "、".join(outsiders)},
                             code=Code.SUPPLEMENTARY_CANDIDATES,
                             details={"allowed": want["candidates"]})
        out.append({**want, "candidates": names})
    return out


def summary(result: Mapping[str, Any]) -> dict[str, Any]:
    """What must be identical whichever way an election was counted (tests compare it)."""
    return {"outcome": result["outcome"],
            "committee": {p["post"]: {"elected": list(p["elected"]), "vacant": p["vacant"]}
                          for p in result["committee"]},
            "rounds": [r["outcome"] for r in result["rounds"]]}
