"""Every page carries the Content-Security-Policy, and no page or template has what it forbids: inline
<script> or <style>, a style attribute, an inline event handler (onclick=...) or a javascript: link
(issue 14, item 10). The browser tests fail on any violation the browser reports (tests/browser/conftest.py).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from . import routes as R

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


class InlineFinder(HTMLParser):
    """Collects what a strict policy refuses in a page's HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            elif name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")


def inline_in(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_policy_is_strict(client):
    directives = policy(client.get(reverse("accounts:login")))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # a nonce appears only where a template asks for one
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    unsafe = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"}
    assert not [d for d, values in directives.items() if unsafe & set(values)]


def test_the_finder_sees_what_the_policy_refuses():
    html = (
        '<script>x()</script><script src="/a.js"></script><style>p{}</style><p style="color:red">'
        '<select onchange="this.form.submit()"><a href="javascript:void 0">'
    )
    assert len(inline_in(html)) == 5


def _clients(world) -> dict[str, Client]:
    users = {
        "county_office": world.county_user,
        "town_office": world.town_user,
        "station_keeper": world.keeper_user,
        "deputy": world.deputy_user,
        "unit_staff": world.unit_user,
    }
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def test_every_page_as_every_role_carries_the_policy_and_nothing_inline(world):
    pages = [r.fill({}) for r in R.url_routes(timezone.localdate().year) if not r.object_params]
    pages += [
        reverse("people:deputy_detail", args=[world.deputy_a.pk]),
        reverse("places:station_detail", args=[world.station_a.pk]),
        reverse("people:public_card", args=[world.deputy_a.public_code]),
        "/no-such-page/",
    ]
    assert len(pages) > 40
    failures, html_pages = [], 0
    for role, client in _clients(world).items():
        for path in pages:
            response = client.get(path)
            where = f"{role} GET {path} ({response.status_code})"
            if response.status_code >= 500:
                failures.append(f"{where}: server error")
                continue
            if "default-src" not in policy(response):
                failures.append(f"{where}: no Content-Security-Policy")
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                html_pages += 1
                failures += [f"{where}: {what}" for what in inline_in(response.content.decode())]
    assert not failures, "\n".join(failures)
    assert html_pages > 100, "most pages should answer 200 to some role: is the test blind?"


TEMPLATE_INLINE = [
    re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    re.compile(r"javascript:", re.I),
]


def test_no_template_writes_inline_script_style_or_handlers():
    """Also the templates that no page above renders (an e-mail body, a rare error branch)."""
    found = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        for pattern in TEMPLATE_INLINE:
            found += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert not found, "\n".join(found)
