"""One demo user per role (printed by ``shequ demo``). Idempotent."""

from __future__ import annotations

from typing import Any

from shequ.accounts.models import User
from shequ.accounts.services import create_user
from shequ.authz import SYSTEM, Role

DEMO_PASSWORD = "shequ-demo-2026"
# (user name, display name, role, area code)
DEMO_USERS = [
    ("admin", "区管理员 王敏", Role.DISTRICT_ADMIN, "510104"),
    ("minzheng", "区民政局 李强", Role.CIVIL_AFFAIRS, "510104"),
    ("jiedao", "春熙路街道 张伟", Role.STREET_OFFICER, "510104022"),
    ("zhanwu", "督院街社区服务站 刘芳", Role.STATION_WORKER, "510104022009"),
    ("shegong", "督院街社区 陈静", Role.COMMUNITY_WORKER, "510104022009"),
    ("daibiao", "居民代表 赵磊", Role.REPRESENTATIVE, "510104022009"),
    ("jumin", "居民 孙丽", Role.RESIDENT, "510104022009"),
    ("zuzhi", "锦江社工服务中心 周洋", Role.ORG_USER, "510104"),
]


def load(stdout: Any = None) -> None:
    for username, display, role, code in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            create_user(actor=SYSTEM, username=username, password=DEMO_PASSWORD,
                        display_name=display, grants=[(role.value, code)], validate=False)
