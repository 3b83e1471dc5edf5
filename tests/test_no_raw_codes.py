"""No raw codes on any page (issue 16 item 12): every demo login crawls the pages it can reach from the
menu and from the lists, and no page's visible text may show an internal value (`co_signature`, `registered`)
where its label (联名, 已登记) belongs.

The codes are every identifier-looking value of the apps' TextChoices and of the workflow tables (states and
transitions); they are searched as whole words in the text a person reads, not in attributes or scripts.
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client

from apps.accounts.menu import menu_for
from apps.accounts.models import User
from apps.demo.logins import DEMO_LOGINS
from apps.places.models import Region, RegionLevel
from apps.workflow.registry import WORKFLOWS

# Enough pages per login to see every menu entry, a list's filters and a detail or two of each kind while
# the whole module stays within about two minutes on SQLite.
MAX_PAGES = 160
# Pages whose address differs only in numbers (/opinions/12/, /opinions/13/) are one page: read one of them.
SAMPLES_PER_SHAPE = 1
SKIP_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout", "/sw.js")
SKIP_WORDS = ("download", "export", "logout", "print")
SKIP_SUFFIXES = (".docx", ".xlsx", ".pdf", ".csv", ".zip", ".json", ".webmanifest", ".ico", ".svg", ".png")
# Addresses shown as text (the QR code's link for a station's poster) carry their query's names.
ADDRESS = re.compile(r"https?://\S+")
# Account pages (the list, one's own, the login page's demo hint) show login names, which people chose
# (`county`, `town` in the demo); they are not codes.
LOGIN_NAME_PAGES = ("/accounts/",)
IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]{3,}")
# Values that are the same word in any language a reader could mistake for a label: none so far. A code
# added here needs a reason beside it.
ALLOWED: set[str] = set()

pytestmark = pytest.mark.django_db


def _choices_classes():
    seen, todo = set(), list(models.Choices.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("apps."):
            yield cls


def raw_codes() -> dict[str, str]:
    """code -> where it comes from, for every identifier-looking internal value that has its own label."""
    django_apps.get_models()  # every app's models (and with them their choices) are imported
    out: dict[str, str] = {}

    def add(value, label, origin):
        if not isinstance(value, str) or not IDENTIFIER.fullmatch(value) or value in ALLOWED:
            return
        if "_" in value or value != str(label):
            out.setdefault(value, origin)

    for cls in _choices_classes():
        for member in cls:
            add(member.value, member.label, f"{cls.__module__}.{cls.__qualname__}")
    for wf in WORKFLOWS.values():
        for s in wf.states:
            add(s.key, s.label, f"workflow {wf.key} state")
        for t in wf.transitions:
            add(t.key, t.label, f"workflow {wf.key} transition")
    return out


class VisibleText(HTMLParser):
    """The text a reader sees: data outside <script>, <style>, <template> and <noscript>; no attributes."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "a":
            href = dict(attrs).get("href")
            if href and "download" not in dict(attrs):
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def parse(html: str) -> VisibleText:
    p = VisibleText()
    p.feed(html)
    p.close()
    return p


def same_site_page(href: str) -> str | None:
    href, _frag = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES) or path.lower().endswith(SKIP_SUFFIXES):
        return None
    if any(w in path.lower() for w in SKIP_WORDS):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(q.split("=", 1)[0] for q in parts.query.split("&") if q)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def context(text: str, m: re.Match) -> str:
    return " ".join(text[max(0, m.start() - 30) : m.end() + 30].split())


def crawl(client: Client, start: list[str], codes: re.Pattern) -> tuple[dict[str, dict[str, str]], int]:
    """BFS from `start`; returns {url: {code: where}} and how many pages were read."""
    names = "|".join(map(re.escape, User.objects.values_list("username", flat=True)))
    login_names = re.compile(rf"(?<![\w.-])({names})(?![\w.-])", re.ASCII)
    queue, seen, shapes = deque(start), set(start), Counter(map(shape, start))
    found: dict[str, dict[str, str]] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        page = parse(response.content.decode())
        parts = page.parts
        text = ADDRESS.sub(" ", " ".join(parts))
        if url.startswith(LOGIN_NAME_PAGES):
            text = login_names.sub(" ", text)
        hits = {m.group(1): context(text, m) for m in codes.finditer(text)}
        if hits:
            found[url] = hits
        for href in page.links:
            nxt = same_site_page(href)
            # Only links of a shape not yet sampled enough are queued: the cap goes to pages of new kinds.
            if nxt and nxt not in seen and shapes[shape(nxt)] < SAMPLES_PER_SHAPE:
                seen.add(nxt)
                shapes[shape(nxt)] += 1
                queue.append(nxt)
    assert not queue, f"the cap of {MAX_PAGES} pages left {len(queue)} pages unread: raise it"
    return found, pages


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county once for the module, rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_codes_include_the_ones_the_issue_names():
    codes = raw_codes()
    assert codes["co_signature"] == "apps.duty.choices.ActivityKind" and "registered" in codes
    assert all(IDENTIFIER.fullmatch(c) for c in codes)


def test_visible_text_ignores_attributes_and_scripts():
    page = parse('<p title="co_signature">联名<script>var x="co_signature"</script></p><a href="/x/">co</a>')
    assert "co_signature" not in " ".join(page.parts) and page.links == ["/x/"]


def start_pages(user) -> list[str]:
    """A login starts at home and its menu; a visitor at the county's public pages and the opinion form."""
    if user is None:
        county = Region.objects.get(level=RegionLevel.COUNTY, name="汉阴县")
        return [f"/p/regions/{county.code}/", "/o/new/", "/o/track/"]
    menu = (link.url for group in menu_for(user) for link in group.links)
    return ["/", *filter(None, map(same_site_page, menu))]


@pytest.mark.parametrize("username", [*(login[0] for login in DEMO_LOGINS), "visitor"])
def test_no_page_shows_a_raw_code(demo, username):
    codes = raw_codes()
    words = "|".join(sorted(map(re.escape, codes), key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z0-9_\-./])({words})(?![A-Za-z0-9_\-/])")
    user = None if username == "visitor" else User.objects.get(username=username)
    client = Client()
    if user is not None:
        client.force_login(user)
    found, pages = crawl(client, start_pages(user), pattern)
    assert pages >= 3, f"{username} reached only {pages} pages"
    assert not found, "\n".join(
        f"{username} {url}: {c} ({codes[c]}) in «{where}»"
        for url, hits in found.items()
        for c, where in hits.items()
    )
