from __future__ import annotations

from dataclasses import dataclass

from shequ.areas.models import Area, CommunityKind, Level, ServiceStation


@dataclass
class Tree:
    province: Area
    city: Area
    district: Area
    street: Area          # 春熙路街道 510104022
    other_street: Area    # 三圣街道 510104037
    community: Area       # 督院街社区 510104022009
    community2: Area      # 盐市口社区 510104022011
    agricultural: Area    # 幸福社区 510104037001 (agricultural)
    compound: Area
    station: ServiceStation


def area(code: str, name: str, parent: Area | None = None, **kw: object) -> Area:
    level = {2: Level.PROVINCE, 4: Level.CITY, 6: Level.DISTRICT, 9: Level.STREET,
             12: Level.COMMUNITY, 15: Level.COMPOUND}[len(code)]
    obj, _ = Area.objects.update_or_create(code=code, defaults={
        "name": name, "level": level, "parent": parent, **kw})
    return obj


def make_tree() -> Tree:
    p = area("51", "四川省")
    c = area("5101", "成都市", p)
    d = area("510104", "锦江区", c)
    s1 = area("510104022", "春熙路街道", d)
    s2 = area("510104037", "三圣街道", d)
    c1 = area("510104022009", "督院街社区居委会", s1, kind=CommunityKind.URBAN,
              population=8000, households=3000)
    c2 = area("510104022011", "盐市口社区居委会", s1, kind=CommunityKind.URBAN,
              population=6000, households=2200)
    c3 = area("510104037001", "幸福社区居委会", s2, kind=CommunityKind.AGRICULTURAL,
              population=5000, households=1800)
    cp = area("510104022009001", "锦绣苑", c1, households=400, population=1000)
    st, _ = ServiceStation.objects.update_or_create(
        code="JJ-T1", defaults={"name": "督院街社区公共服务站", "community": c1,
                                "area_code": c1.code})
    st.serves.set([c1, c2])
    return Tree(p, c, d, s1, s2, c1, c2, c3, cp, st)
