"""The page scanner the test suite runs on every HTML page it renders in Chinese: no
untranslated English word of our own catalogues, no rule or field key, no raw value
(``True``, ``None``, ``0.9167``, a Python list, an ISO timestamp) may reach a reader.

It is a middleware listed only in ``settings_test``: a page that fails raises in the
test that rendered it, naming the page and what was found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.http import HttpRequest, HttpResponse

# Django's admin (and the task results it lists) is upstream's; some of its hidden table
# captions have no Chinese translation upstream. Our own pages are all scanned.
UPSTREAM_PAGES = ("/admin/",)
# TODO(issue 12): pages of modules whose wording is being fixed; emptied when they land.
PENDING: tuple[str, ...] = ()
SKIP_TAGS = {"script", "style", "code", "kbd", "pre", "textarea", "template", "title"}
# Latin words that are names, formats or standards, the same in Chinese text.
ALLOWED = {
    "api", "pdf", "excel", "geojson", "wgs", "json", "csv", "xlsx", "ocds", "id", "gb", "iso",
    "mod", "open311", "openstreetmap", "osm", "echarts", "shequ", "mb", "kb", "sqlite",
    "postgresql", "http", "https", "url", "utc", "gbk", "utf", "pbf", "png", "jpg", "jpeg",
    "ilp", "cbc", "pulp", "token", "swagger", "openapi", "english", "geo", "georeport",
    "a", "aa", "aaa", "aaaa", "aaaaa", "ic", "qr", "ok", "mod11", "tel", "email",
}
RAW_VALUE = re.compile(
    r"(?<![\w.])(True|False|None)(?![\w.])"       # Python literals
    r"|\[\s*'[^']*'"                               # a Python list of strings
    r"|\{\s*'[^']+'\s*:"                           # a Python dict
    r"|(?<![\d.])0\.\d{3,}(?!\d)"                 # a share printed as a float
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"             # an ISO timestamp
    r"|\b[a-z]+(?:_[a-z0-9]+)+\b"                 # a rule or field key
)
WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        skip = (tag in SKIP_TAGS or "code" in (a.get("class") or "").split()
                or a.get("translate") == "no" or (a.get("lang") or "").startswith("en")
                or a.get("hidden") is not None)
        if tag not in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not any(skip for _tag, skip in self.stack):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


@cache
def catalogue_words() -> frozenset[str]:
    """Every word of every English message of the project (the msgids): a Chinese page
    showing one of them shows a string someone forgot to translate."""
    words: set[str] = set()
    root = Path(__file__).resolve().parent.parent
    for po in root.glob("*/locale/en/LC_MESSAGES/django.po"):
        for line in po.read_text(encoding="utf-8").splitlines():
            if line.startswith(("msgid ", '"')) and not line.startswith('"Content'):
                text = re.sub(r"%\([a-z_]+\)[sd]|\{[^}]*\}|<[^>]+>", " ", line)
                words.update(w.lower() for w in WORD.findall(text))
    return frozenset(words - ALLOWED)


def problems(html: str) -> list[str]:
    text = visible_text(html)
    found = [f"raw value or key: {m.group(0)!r}" for m in RAW_VALUE.finditer(text)]
    vocab = catalogue_words()
    english = sorted({w for w in WORD.findall(text)
                      if w.lower() in vocab and w.lower() not in ALLOWED})
    if english:
        found.append(f"English words: {', '.join(english[:12])}")
    return found


class PageScanMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code == 200 and not getattr(response, "streaming", False)
                and not request.path.startswith(UPSTREAM_PAGES + PENDING)
                and response.get("Content-Type", "").startswith("text/html")
                and response.get("Content-Language", "").startswith("zh")):
            found = problems(response.content.decode("utf-8", "replace"))
            if found:
                raise AssertionError(f"{request.path}: " + "; ".join(found))
        return response
