"""Translation catalogues, one per app (``src/shequ/<app>/locale``), so modules never
edit each other's files.

    python scripts/i18n.py update [APP…]   # makemessages for zh_Hans and en in every app
    python scripts/i18n.py compile   # .po -> .mo (run by setup)
    python scripts/i18n.py fill APP FILE.json   # put {msgid: msgstr} into APP's zh_Hans
    python scripts/i18n.py check     # catalogues complete: every msgid present, zh_Hans
                                     # translated, nothing fuzzy
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "shequ"
LOCALES = ["zh_Hans", "en"]
DJANGO_ADMIN = [str(ROOT / ".venv" / "bin" / "django-admin")]


def apps() -> list[Path]:
    """Every app, or only those named after the action (``update people``)."""
    only = set(sys.argv[2:])
    return sorted(p for p in SRC.iterdir()
                  if (p / "apps.py").exists() and (not only or p.name in only))


def makemessages(app: Path) -> None:
    (app / "locale").mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shequ.settings",
           "PYTHONPATH": str(ROOT / "src")}
    for domain in ("django",):
        subprocess.run([*DJANGO_ADMIN, "makemessages", "--no-location", "--no-obsolete",
                        "-d", domain, *[arg for loc in LOCALES for arg in ("-l", loc)],
                        "-i", "tests/*", "-i", "migrations/*"],
                       cwd=app, env=env, check=True, capture_output=True)
    # English: msgid is English, so an empty msgstr already shows the msgid; fill it
    # anyway so the catalogue is complete and a reviewer can adapt wording.
    en = app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    if en.exists():
        en.write_text(fill_english(en.read_text(encoding="utf-8")), encoding="utf-8")


def fill_english(text: str) -> str:
    """English catalogue: every msgstr is its msgid (msgids are English); no fuzzy."""
    out: list[str] = []
    for entry in text.split("\n\n"):
        if entry.startswith('msgid ""') or 'msgid ""\nmsgstr ""\n"Project' in entry \
                or "msgid_plural" in entry or "msgstr " not in entry:
            out.append(entry)
            continue
        lines = [ln for ln in entry.split("\n") if not ln.startswith("#|")]
        lines = [ln.replace("#, fuzzy, ", "#, ") for ln in lines if ln != "#, fuzzy"]
        entry = "\n".join(lines)
        m = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        if m:
            head = entry[: entry.index("msgstr ")]
            entry = head + "msgstr " + m.group(1).rstrip("\n")
        out.append(entry)
    return "\n\n".join(out)


def entries(po: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy), for single-form messages."""
    result: dict[str, tuple[str, bool]] = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        mid = re.search(r'^msgid ((?:".*"\n)+)', block + "\n", re.M)
        mstr = re.search(r'^msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        mstr0 = re.search(r'^msgstr\[0\] ((?:".*"\n?)+)', block + "\n", re.M)
        if not mid:
            continue
        key = "".join(re.findall(r'"(.*)"', mid.group(1)))
        if not key:
            continue
        ctx = re.search(r'^msgctxt ((?:".*"\n)+)', block + "\n", re.M)
        if ctx:
            key = "".join(re.findall(r'"(.*)"', ctx.group(1))) + "\x04" + key
        val = "".join(re.findall(r'"(.*)"', (mstr or mstr0).group(1))) if (mstr or mstr0) else ""
        result[key] = (val, fuzzy)
    return result


def compile_all() -> None:
    for app in apps():
        for po in (app / "locale").glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


def check() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for app in apps():
            copy = Path(tmp) / app.name
            shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
            try:
                makemessages(copy)
            except subprocess.CalledProcessError as exc:
                problems.append(f"{app.name}: makemessages failed: {exc.stderr.decode()[:500]}")
                continue
            for loc in LOCALES:
                fresh = copy / "locale" / loc / "LC_MESSAGES" / "django.po"
                committed = app / "locale" / loc / "LC_MESSAGES" / "django.po"
                if not fresh.exists():
                    continue
                want = set(entries(fresh))
                have = entries(committed) if committed.exists() else {}
                missing = sorted(want - set(have))
                for msgid in missing[:10]:
                    problems.append(f"{app.name}/{loc}: missing msgid {msgid!r}")
                if len(missing) > 10:
                    problems.append(f"{app.name}/{loc}: … {len(missing) - 10} more missing")
                for msgid, (msgstr, fuzzy) in have.items():
                    if msgid not in want:
                        continue
                    if loc == "zh_Hans" and not msgstr:
                        problems.append(f"{app.name}/{loc}: untranslated {msgid!r}")
                    if fuzzy:
                        problems.append(f"{app.name}/{loc}: fuzzy {msgid!r}")
    problems.extend(conflicts())
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} catalogue problem(s); run `make messages`, translate, commit.")
        return 1
    print("catalogues complete")
    return 0


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fill(app: str, mapping_file: str, locale: str = "zh_Hans") -> int:
    """Put translations from a JSON object {msgid: msgstr} into an app's catalogue
    (msgids as Python sees them, escapes already decoded); clears fuzzy flags."""
    import json

    mapping: dict[str, str] = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    po = SRC / app / "locale" / locale / "LC_MESSAGES" / "django.po"
    blocks = po.read_text(encoding="utf-8").split("\n\n")
    done = 0
    for i, block in enumerate(blocks):
        mid = re.search(r'^msgid ((?:".*"\n)+)', block + "\n", re.M)
        if not mid:
            continue
        raw = "".join(re.findall(r'"(.*)"', mid.group(1)))
        key = raw.encode("latin-1", "backslashreplace").decode("unicode_escape") \
            if "\\" in raw else raw
        ctx = re.search(r'^msgctxt ((?:".*"\n)+)', block + "\n", re.M)
        if ctx:  # in the JSON as "context|msgid"
            key = "".join(re.findall(r'"(.*)"', ctx.group(1))) + "|" + key
        if key not in mapping:
            continue
        plural = "msgid_plural" in block  # Chinese has one form: msgstr[0]
        head = block[: block.index("msgstr[0] " if plural else "msgstr ")]
        head = head.replace("#, fuzzy, ", "#, ").replace("#, fuzzy\n", "")
        head = "".join(line + "\n" for line in head.split("\n")[:-1] if not line.startswith("#|"))
        blocks[i] = head + ("msgstr[0] " if plural else "msgstr ") + _quote(mapping[key])
        done += 1
    po.write_text("\n\n".join(blocks).rstrip("\n") + "\n", encoding="utf-8")
    print(f"{app}/{locale}: {done} translation(s) filled")
    return 0


def conflicts() -> list[str]:
    """Django merges every app's catalogue into one, so a msgid translated differently by
    two apps shows only one of the translations everywhere. Such words need a context
    (pgettext / {% translate "…" context "…" %})."""
    seen: dict[str, dict[str, str]] = {}
    for app in apps():
        po = app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        if po.exists():
            for key, (value, _fuzzy) in entries(po).items():
                if value:
                    seen.setdefault(key, {})[app.name] = value
    found = []
    for key, by_app in sorted(seen.items()):
        if len(set(by_app.values())) > 1 and key not in SYNONYMS:
            found.append(f"conflicting translations of {key!r}: {by_app}; add a context")
    return found


# Different apps chose different but interchangeable words; whichever wins reads well.
SYNONYMS = {
    "code", "source", "kind", "note", "service stations", "action", "year", "Year", "published at",
    "Identity number", "Add", "History", "Registered voters", "post", "posts", "Post", "label",
    "Area", "Communities", "Reason", "Decision", "%(n)s seat", "Phone", "API", "from", "until",
    "Code", "Working days",
}


def main() -> int:
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    if action == "fill":
        return fill(sys.argv[2], sys.argv[3])
    if action == "update":
        for app in apps():
            makemessages(app)
            print(f"updated {app.name}")
        return 0
    if action == "compile":
        compile_all()
        return 0
    return check()


if __name__ == "__main__":
    sys.exit(main())
