"""Rule profiles become ``shequ.rules`` rule sets (ADR 0607): stored snapshots move to the
new shape with the same values and meaning. Shares gain their "more than" / "at least"
(``"1/2"`` → ``">1/2"``); the list of close relatives becomes a flag (the relations are
``Relation`` choices, from the law); every carried-over citation is marked unverified.

The conversion is frozen here (a copy of ``elections.rules.upgrade`` as of this
migration), so later changes to the module cannot change what this migration does.
"""

import hashlib

from django.db import migrations, models

UNITS = {
    "turnout_for_validity": "share", "majority_to_win": "share", "supplementary_floor": "share",
    "supplementary_extra_candidates": "persons", "void_if_returned_exceeds_issued": "flag",
    "overmarked_ballot_invalid": "flag", "competitive_list": "persons", "members_min": "persons",
    "members_max": "persons", "women_seat": "flag", "term_years": "years", "voting_age": "years",
    "residence_years": "years", "roll_days_before": "days", "objection_days": "days",
    "decision_days": "days", "one_roll_only": "flag", "group_representatives_max": "persons",
    "proxy_relatives": "flag", "proxies_per_voter_max": "persons",
    "candidate_leaves_committee": "flag", "nominators_min": "persons",
    "candidates_days_before": "days",
}
STRICT = {"turnout_for_validity": ">", "majority_to_win": ">", "supplementary_floor": ">="}
RELATIONS = ["spouse", "parent", "child", "sibling", "grandparent", "grandchild"]


def version(code, base_version, rules):
    payload = ";".join(f"{k}={rules[k]['value']}" for k in sorted(rules))
    return f"{code}-{base_version}/{hashlib.sha256(payload.encode()).hexdigest()[:8]}"


def upgrade(old):
    if "module" in old:
        return old
    rules = {}
    for key, raw in (old.get("rules") or {}).items():
        value = raw.get("value")
        if key in STRICT:
            value = f"{STRICT[key]}{value}"
        elif key == "proxy_relatives":
            value = bool(value)
        citation = str(raw.get("citation", ""))
        rules[key] = {"value": value, "unit": UNITS.get(key, "text"), "citation": citation,
                      "verified": False, "local": citation.endswith("（本地调整）")}
    code = str(old.get("code", "rcl-2025"))
    base_version = str(old.get("version", "1"))
    return {"module": "elections", "profile": code, "area_code": "", "base_version": base_version,
            "version": version(code, base_version, rules),
            "overridden": sorted(k for k, v in rules.items() if v["local"]),
            "rules": dict(sorted(rules.items()))}


def downgrade(new):
    if "module" not in new:
        return new
    rules = {}
    for key, raw in new["rules"].items():
        value = raw["value"]
        if key in STRICT:
            value = str(value).lstrip(">=")
        elif key == "proxy_relatives":
            value = RELATIONS if value else []
        rules[key] = {"key": key, "value": value, "unit": "", "citation": raw["citation"]}
    return {"code": new["profile"], "version": 2, "title": "", "rules": rules}


def forwards(apps, schema_editor):
    Election = apps.get_model("elections", "Election")
    for e in Election.objects.only("pk", "profile").iterator(chunk_size=1000):
        new = upgrade(e.profile)
        if new != e.profile:
            Election.objects.filter(pk=e.pk).update(profile=new)


def backwards(apps, schema_editor):
    Election = apps.get_model("elections", "Election")
    for e in Election.objects.only("pk", "profile").iterator(chunk_size=1000):
        Election.objects.filter(pk=e.pk).update(profile=downgrade(e.profile))


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0002_registered'),
    ]

    operations = [
        migrations.AlterField(
            model_name='proxy',
            name='relation',
            field=models.CharField(choices=[('spouse', 'spouse'), ('parent', 'parent'), ('child', 'child'), ('sibling', 'sibling'), ('grandparent', 'grandparent'), ('grandchild', 'grandchild')], max_length=20, verbose_name='relation'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
