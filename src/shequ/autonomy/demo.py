"""A year of self-governance in 督院街社区 (urban) and 幸福社区 (agricultural, 三圣街道):
constituencies and standing representatives, four representative conferences (one
without quorum), proposals in every state, a council meeting, two evaluation campaigns
(one member rated unfit twice), the disclosure calendar with two overdue items flagged to
the street, questions answered publicly, and one recall petition awaiting its vote.

Idempotent: nothing is added when the community already has proposals. Uses the
residents the people demo created; creates the few it needs otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from shequ.areas.models import Area, Level
from shequ.authz import SYSTEM
from shequ.autonomy import rules as law
from shequ.autonomy import services
from shequ.autonomy.models import (
    Constituency,
    Disclosure,
    EvaluationCampaign,
    Meeting,
    Proposal,
    ProposalEvent,
    Representative,
)
from shequ.core.errors import BusinessError
from shequ.people import facade

if TYPE_CHECKING:
    from shequ.people.models import Membership, Resident

URBAN = "510104022009"  # 督院街社区
AGRI = "510104037001"  # 幸福社区
TZ = ZoneInfo("Asia/Shanghai")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "玉兰", "志强", "淑珍", "德明"]


def load(stdout: Any = None) -> None:
    if Area.objects.filter(code__in=[URBAN, AGRI]).count() != 2:
        return
    if Proposal.objects.filter(community_code=URBAN).exists():
        if stdout is not None:
            stdout.write("autonomy: demo already loaded")
        return
    today = timezone.localdate()
    year = today.year
    u = _residents(URBAN, 60)
    a = _residents(AGRI, 30)
    _link("jumin", u[0])
    _link("daibiao", u[1])
    _committee(URBAN, u[50:55])
    urban_reps = _representatives(URBAN, u[1:10], year)
    agri_reps = _representatives(AGRI, a[:6], year)

    # ------------------------------------------------------------ proposals and meetings
    def propose(title: str, body: str, resident: Resident, cosigners: Sequence[Resident] = (),
                code: str = URBAN) -> Proposal:
        p = services.submit_proposal(actor=SYSTEM, community_code=code, title=title, body=body,
                                     resident_id=resident.pk)
        for r in cosigners:
            p = services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=r.pk)
        return p

    def admit(p: Proposal, reason: str = "属于社区公共事务，提交居民代表会议审议") -> Proposal:
        return services.review_proposal(actor=SYSTEM, proposal_id=p.pk, admit=True, reason=reason)

    def meeting(title: str, held: date, agenda: str, code: str = URBAN) -> Meeting:
        notice = held - timedelta(days=10)
        return services.convene_meeting(actor=SYSTEM, community_code=code, title=title,
                                        agenda=agenda, notice_on=notice, held_on=held,
                                        location="社区党群服务中心二楼会议室")

    def attend(m: Meeting, reps: list[Representative], committee: bool = True) -> Meeting:
        """Attendance: the representatives named and (by default) every committee
        member, who are members of the conference too (ADR 0508)."""
        members = services.conference_members(m.community_code, m.held_on)[1] if committee \
            else []
        return services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                          present_ids=[r.pk for r in reps],
                                          committee_present_ids=[c.pk for c in members])

    def vote(p: Proposal, reps: list[Representative], n_for: int) -> None:
        """The representatives vote through the site; the clerk then enters the show of
        hands of everyone present, the committee members voting with the majority of
        the representatives."""
        counts = {"for": 0, "against": 0, "abstain": 0}
        for i, r in enumerate(reps):
            choice = "for" if i < n_for else ("against" if i % 2 else "abstain")
            counts[choice] += 1
            services.cast_vote(actor=SYSTEM, motion_id=p.motion_id or 0, choice=choice,
                               representative_id=r.pk)
        present = Meeting.objects.get(motions__pk=p.motion_id or 0).present
        others = present - len(reps)
        if others > 0:
            counts["for" if 2 * n_for > len(reps) else "against"] += others
            services.record_count(actor=SYSTEM, motion_id=p.motion_id or 0,
                                  votes_for=counts["for"], votes_against=counts["against"],
                                  abstentions=counts["abstain"])
        services.close_motion(actor=SYSTEM, motion_id=p.motion_id or 0)

    lift = propose("老旧院落加装电梯", "锦绣苑 3、5 栋均为七层无电梯住宅，老年住户上下楼困难，"
                   "建议申请既有住宅增设电梯补助，由居民协商分摊费用。", u[12], u[13:23])
    parking = propose("院坝停车位划线收费", "建议在院坝内划定停车位，按月收取管理费用于院落维护。",
                      u[2])
    lights = propose("背街小巷路灯改造", "督院街背街小巷路灯损坏较多，夜间出行不便。", u[3])
    for p in (lift, parking, lights):
        admit(p)
    m1 = meeting(f"{year} 年第一次居民代表会议", date(year, 3, 20),
                 "1. 审议加装电梯提案\n2. 审议院坝停车位提案\n3. 审议背街路灯提案")
    for p in (lift, parking, lights):
        services.schedule_proposal(actor=SYSTEM, proposal_id=p.pk, meeting_id=m1.pk)
    m1 = attend(m1, urban_reps[:8])
    lift.refresh_from_db()
    parking.refresh_from_db()
    lights.refresh_from_db()
    vote(lift, urban_reps[:8], 7)
    vote(parking, urban_reps[:8], 3)
    vote(lights, urban_reps[:8], 6)
    services.close_meeting(actor=SYSTEM, meeting_id=m1.pk,
                           minutes=f"应到 {m1.members} 人，实到 {m1.present} 人，符合法定人数。"
                                   "加装电梯提案、背街路灯提案通过；"
                                   "院坝停车位收费提案未获通过，建议进一步征求院落意见。")
    services.assign_proposal(actor=SYSTEM, proposal_id=lift.pk, assignee="督院街社区公共服务站",
                             deadline=today + timedelta(days=1))
    services.report_progress(actor=SYSTEM, proposal_id=lift.pk,
                             note="已完成住户意见征询，同意率 92%，已向区住建局申报补助。")
    services.report_progress(actor=SYSTEM, proposal_id=lift.pk, note="电梯井道施工完成。")
    services.complete_proposal(actor=SYSTEM, proposal_id=lift.pk,
                               feedback="3、5 栋电梯于 9 月投入使用，补助资金已按公示到位。")
    for r, score in zip(u[24:32], [5, 5, 4, 5, 4, 3, 5, 4], strict=True):
        services.rate_proposal(actor=SYSTEM, proposal_id=lift.pk, score=score, resident_id=r.pk)
    services.close_proposal(actor=SYSTEM, proposal_id=lift.pk)

    greening = propose("院落绿化提升", "建议利用院落闲置角落建设小微绿地。", u[4])
    admit(greening)
    m2 = meeting(f"{year} 年第二次居民代表会议", date(year, 6, 18), "1. 审议院落绿化提升提案")
    services.schedule_proposal(actor=SYSTEM, proposal_id=greening.pk, meeting_id=m2.pk)
    m2 = attend(m2, urban_reps[:3], committee=False)  # no quorum
    services.close_meeting(actor=SYSTEM, meeting_id=m2.pk,
                           minutes=f"应到 {m2.members} 人，实到 {m2.present} 人，不足法定人数，"
                                   "会议不作决定，提案顺延。")

    canteen = propose("社区老年食堂", "建议在社区服务站旁开设老年助餐点。", u[5])
    cameras = propose("院落门禁与监控改造", "锦绣苑门禁老化，建议更换人脸识别门禁。", u[6])
    for p in (canteen, cameras):
        admit(p)
    m3 = meeting(f"{year} 年第三次居民代表会议", date(year, 9, 22),
                 "1. 审议老年食堂提案\n2. 审议门禁与监控改造提案")
    for p in (canteen, cameras):
        services.schedule_proposal(actor=SYSTEM, proposal_id=p.pk, meeting_id=m3.pk)
    attend(m3, urban_reps)
    canteen.refresh_from_db()
    cameras.refresh_from_db()
    vote(canteen, urban_reps, 8)
    vote(cameras, urban_reps, 6)
    services.close_meeting(actor=SYSTEM, meeting_id=m3.pk,
                           minutes="应到 9 人，实到 9 人。两项提案均获通过。")
    services.assign_proposal(actor=SYSTEM, proposal_id=canteen.pk,
                             assignee="督院街社区公共服务站、锦江社工服务中心",
                             deadline=today + timedelta(days=60))
    services.report_progress(actor=SYSTEM, proposal_id=canteen.pk,
                             note="选址已确定，正在装修，计划明年一季度开餐。")
    services.assign_proposal(actor=SYSTEM, proposal_id=lights.pk, assignee="春熙路街道城市管理科",
                             deadline=today + timedelta(days=10))
    services.complete_proposal(actor=SYSTEM, proposal_id=lights.pk,
                               feedback="已更换 36 盏路灯，欢迎居民评价。")
    services.rate_proposal(actor=SYSTEM, proposal_id=lights.pk, score=4, resident_id=u[40].pk)

    m4 = services.convene_meeting(actor=SYSTEM, community_code=URBAN,
                                  title=f"{year} 年第四次居民代表会议", agenda="1. 审议院落绿化提升提案",
                                  held_on=today + timedelta(days=8),
                                  location="社区党群服务中心二楼会议室")
    services.schedule_proposal(actor=SYSTEM, proposal_id=greening.pk, meeting_id=m4.pk)

    propose("增设快递柜", "建议在院落入口增设智能快递柜。", u[33], u[34:37])  # collecting
    propose("社区图书角", "建议在服务站设立社区图书角。", urban_reps[2].resident)  # submitted
    admit(propose("垃圾分类督导", "建议每个院落招募垃圾分类志愿督导员。", urban_reps[3].resident))
    rejected = propose("要求物业退还多收费用", "物业多收了我家两个月费用。", u[7])
    services.review_proposal(actor=SYSTEM, proposal_id=rejected.pk, admit=False,
                             reason="属于业主与物业之间的合同纠纷，不属于社区重大事项；"
                                    "已转交社区调委会协助调解。")
    withdrawn = propose("周末广场舞时间调整", "建议广场舞结束时间提前到晚上九点。", u[8])
    services.withdraw_proposal(actor=SYSTEM, proposal_id=withdrawn.pk, resident_id=u[8].pk)

    # agricultural community: a council meeting
    road = propose("机耕道硬化", "幸福社区三组机耕道雨天泥泞，建议硬化。", agri_reps[0].resident,
                   code=AGRI)
    admit(road, "属于社区集体公益事业，提交议事会审议")
    council = meeting(f"{year} 年幸福社区议事会第二次会议", date(year, 5, 12), "1. 审议机耕道硬化提案",
                      code=AGRI)
    services.schedule_proposal(actor=SYSTEM, proposal_id=road.pk, meeting_id=council.pk)
    attend(council, agri_reps[:5])
    road.refresh_from_db()
    vote(road, agri_reps[:5], 5)
    services.close_meeting(actor=SYSTEM, meeting_id=council.pk,
                           minutes="应到 6 人，实到 5 人，超过三分之二。机耕道硬化提案全票通过。")
    services.assign_proposal(actor=SYSTEM, proposal_id=road.pk, assignee="三圣街道农业服务中心",
                             deadline=today + timedelta(days=45))
    _backdate(year)

    # ------------------------------------------------------------ evaluation
    # members are those serving when each campaign opens (the people demo's committee
    # may have ended its term this year); the first member in both is rated unfit twice
    chair = ""
    for y, unfit, opens in ((year - 1, 9, date(year - 1, 12, 1)),
                            (year, 8, min(today, date(year, 5, 1)))):
        c = services.open_evaluation(
            actor=SYSTEM, community_code=URBAN, year=y, title=f"督院街社区 {y} 年度民主评议",
            criteria=["服务态度", "办事效率", "廉洁自律"], opens_on=opens, closes_on=today,
            departments=["春熙路街道社区发展科", "春熙路街道城市管理科"])
        targets = list(c.targets.all())
        members = sorted(t.name for t in targets if t.kind == "member")
        chair = chair or (members[0] if members else "")
        for i, r in enumerate(u[10:25]):
            answers = {t.pk: {"verdict": "unfit" if (t.name == chair and i < unfit) else
                              ("basically_fit" if i % 4 == 0 else "fit"),
                              "scores": {"服务态度": 3 + i % 3, "办事效率": 3 + (i + 1) % 3}}
                       for t in targets}
            services.submit_rating(actor=SYSTEM, campaign_id=c.pk, answers=answers,
                                   resident_id=r.pk)
        services.close_evaluation(actor=SYSTEM, campaign_id=c.pk)
        EvaluationCampaign.objects.filter(pk=c.pk).update(closes_on=opens + timedelta(days=14))
    services.open_evaluation(
        actor=SYSTEM, community_code=AGRI, year=year, title=f"幸福社区 {year} 年度民主评议",
        criteria=["服务态度", "办事效率"], opens_on=today, closes_on=today + timedelta(days=20),
        departments=["三圣街道农业服务中心"])

    # ------------------------------------------------------------ disclosure
    for code in (URBAN, AGRI):
        services.plan_disclosures(actor=SYSTEM, community_code=code, year=year)
        due = list(Disclosure.objects.filter(community_code=code, due_on__lt=today,
                                             status=Disclosure.Status.PLANNED).order_by("due_on"))
        for d in due[:-2] if code == URBAN else due:  # two overdue in 督院街
            services.publish_disclosure(
                actor=SYSTEM, disclosure_id=d.pk,
                body=f"{d.period_start:%Y年%m月}–{d.period_end:%m月}：收入 {12000 + d.pk * 37} 元，"
                     f"支出 {9800 + d.pk * 29} 元，明细见社区公示栏。经办人 陈静 电话 13980012345。")
            Disclosure.objects.filter(pk=d.pk).update(published_at=datetime.combine(
                d.due_on - timedelta(days=2 + d.pk % 5), time(10, 0), tzinfo=TZ))
    services.flag_overdue_disclosures(actor=SYSTEM, on=today)
    major = services.disclose_major(actor=SYSTEM, community_code=URBAN,
                                    title="锦绣苑加装电梯补助资金公示",
                                    body="区住建局补助 3、5 栋电梯共 48 万元，已拨付到位。")
    q = services.ask_question(actor=SYSTEM, disclosure_id=major.pk,
                              text="其他楼栋还能申请补助吗？", resident_id=u[41].pk)
    services.answer_question(actor=SYSTEM, question_id=q.pk,
                             answer="可以。请楼栋长组织住户意见征询后向社区提出，明年继续申报。")
    services.ask_question(actor=SYSTEM, disclosure_id=major.pk, text="电梯维保费用怎么分摊？",
                          resident_id=u[42].pk)

    # ------------------------------------------------------------ recall
    # a current member of the residents' committee, picked from the record (ADR 0509)
    recallable = services.recallable_members(URBAN)
    member = recallable[0] if recallable else None
    if member is not None:
        petition = services.start_recall(
            actor=SYSTEM, community_code=URBAN, membership_id=member.pk,
            reasons="长期不参加居委会工作，连续六个月未到岗，居民反映强烈。", resident_id=u[43].pk)
        for r in u[44:44 + petition.signatures_needed - 1]:
            petition = services.sign_recall(actor=SYSTEM, petition_id=petition.pk,
                                            resident_id=r.pk)
        if petition.state == petition.State.SUBMITTED:
            services.record_recall_reply(actor=SYSTEM, petition_id=petition.pk,
                                         reply="本人因病请假，已提交病假证明，愿接受居民监督。")
    if stdout is not None:
        stdout.write(f"autonomy: {Proposal.objects.count()} proposals, "
                     f"{Meeting.objects.count()} meetings, "
                     f"{Representative.objects.count()} representatives")


def _residents(code: str, n: int) -> list[Resident]:
    have = list(facade.eligible_voters(code, timezone.localdate()).order_by("pk")[:n])
    serial = 1
    while len(have) < n:
        i = len(have) + serial
        birth = date(1950 + i % 45, 1 + i % 12, 1 + i % 28)
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        try:
            r = facade.register_resident(
                actor=SYSTEM, name=name, community_code=code,
                id_number=facade.fake_identity_number(birth, serial=i))
        except BusinessError:  # a clash with an existing demo number: try the next one
            serial += 1
            continue
        have.append(r)
    return have


def _link(username: str, resident: Resident) -> None:
    user = get_user_model().objects.filter(username=username).first()
    if user is not None and facade.resident_of_user(user) is None:
        facade.link_user(actor=SYSTEM, resident=resident, user=user)


COMMITTEE = [("chair", "主任", 1), ("vice_chair", "副主任", 1), ("member", "委员", 3),
             ("member", "委员", 3), ("member", "委员", 3)]


def _committee(code: str, residents: list[Resident]) -> list[Membership]:
    """The residents' committee's memberships (recorded here when the people demo has
    none, as an election's announcement would record them)."""
    body = facade.bodies_of(code, "residents_committee").first()
    if body is None:
        body = facade.record_committee(
            actor=SYSTEM, area_code=code, kind="residents_committee", name="督院街社区居民委员会",
            day=date(2021, 12, 1), source="2021 年居委会换届直接选举", replaces_all=False,
            seats=[facade.Seat(post_role=role, post_label=label, post_seats=seats,
                               person_name=r.name, resident_id=r.pk)
                   for r, (role, label, seats) in zip(residents, COMMITTEE, strict=False)])
    return list(body.memberships.order_by("-start_date", "pk"))


def _representatives(code: str, residents: list[Resident], year: int) -> list[Representative]:
    compounds = list(Area.objects.filter(parent_id=code, level=Level.COMPOUND).order_by("code")[:3])
    per = len(residents) // 3 or 1
    reps: list[Representative] = []
    for i in range(3):
        if compounds and i < len(compounds):
            name, kind, area, households = (compounds[i].name, Constituency.Kind.COMPOUND,
                                            compounds[i].code, compounds[i].households or 0)
        else:
            name, kind, area, households = f"第{i + 1}居民小组", Constituency.Kind.GROUP, code, 0
        profile = law.profile_for(code)
        households = max(households, per * profile.number("households_per_representative"))
        c = services.create_constituency(actor=SYSTEM, community_code=code, name=name, kind=kind,
                                         households=households, area_code=area)
        for r in residents[i * per:(i + 1) * per]:
            reps.append(services.appoint_representative(
                actor=SYSTEM, constituency_id=c.pk, resident_id=r.pk,
                term_start=date(year - 1, 12, 1),
                duties="联系所在院落居民，收集意见建议，参加居民代表会议并提出提案"))
    return reps


def _backdate(year: int) -> None:
    """Spread each proposal's history over the year, so the demo reads like one."""
    today = timezone.localdate()
    meetings = {m.pk: m.held_on for m in Meeting.objects.filter(community_code__in=[URBAN, AGRI])}
    for p in Proposal.objects.filter(community_code__in=[URBAN, AGRI]):
        held = meetings.get(p.meeting_id or 0)
        day = (held - timedelta(days=40)) if held else today - timedelta(days=30)
        events = list(p.events.all())
        for i, e in enumerate(events):
            if held and e.action in ("adopt", "not_adopt"):
                day = held
            elif held and e.action == "schedule":
                day = held - timedelta(days=10)
            else:
                day = day + timedelta(days=7)
            day = min(day, today)
            ProposalEvent.objects.filter(pk=e.pk).update(
                at=datetime.combine(day, time(9 + i % 8, 0), tzinfo=TZ))
            if i == 0:
                Proposal.objects.filter(pk=p.pk).update(
                    created_at=datetime.combine(day, time(9, 0), tzinfo=TZ))
