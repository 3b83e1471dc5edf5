"""Every RENDA setting the code reads is declared once in apps/common/conf.py (issue #13, item 11)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from apps.common import conf

ROOT = Path(__file__).resolve().parent.parent
KEY = r"""["']([A-Z][A-Z0-9_]*)["']"""
# The ways code reads a setting: settings.RENDA["X"] / .get("X"), conf.get("X"), local_value("X", ...),
# a workflow deadline Due(setting="X") / Due(months_setting="X"), and the loose settings.RENDA_X.
READS = [
    re.compile(r"RENDA\[\s*" + KEY),
    re.compile(r"RENDA\.get\(\s*" + KEY),
    re.compile(r"\bconf\.get\(\s*" + KEY),
    re.compile(r"\blocal_value\(\s*" + KEY),
    re.compile(r"\b(?:months_)?setting=\s*" + KEY),
    re.compile(r"\bsettings\.(RENDA_[A-Z0-9_]+)"),
    re.compile(r"getattr\(\s*settings,\s*[\"'](RENDA_[A-Z0-9_]+)[\"']"),
]
# A local name bound to the dict (`limits = settings.RENDA`), then read as limits["X"] or limits.get("X").
ALIAS = re.compile(r"\b(\w+)\s*=\s*(?:getattr\(\s*)?settings[.,]\s*[\"']?RENDA\b(?![_\w])")


def _sources():
    for top in ("apps", "renda", "bench"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "apps" / "common" / "conf.py":
                continue
            yield path


def reads_in(text: str) -> set[str]:
    keys = {m.group(1) for pattern in READS for m in pattern.finditer(text)}
    for alias in {m.group(1) for m in ALIAS.finditer(text)}:
        keys |= set(re.findall(rf"\b{alias}\[\s*{KEY}", text))
        keys |= set(re.findall(rf"\b{alias}\.get\(\s*{KEY}", text))
    return keys


def all_reads() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in _sources():
        for key in reads_in(path.read_text(encoding="utf-8")):
            found.setdefault(key, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_setting_the_code_reads_is_declared():
    undeclared = {k: sorted(v) for k, v in all_reads().items() if k not in conf.SETTINGS}
    assert undeclared == {}, f"declare these in apps/common/conf.py: {undeclared}"


def test_the_scan_sees_every_kind_of_read():
    text = """
        a = settings.RENDA["ONE"]; b = settings.RENDA.get("TWO", 3); c = conf.get("THREE")
        d = local_value("FOUR", town); e = Due(setting="FIVE"); f = Due(months_setting="SIX")
        g = settings.RENDA_SEVEN; limits = settings.RENDA; h = limits["EIGHT"]; i = limits.get("NINE")
    """
    assert reads_in(text) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "RENDA_SEVEN", "EIGHT", "NINE"}
    assert len(all_reads()) >= 30  # the real code: the scan is not blind


def test_settings_renda_holds_exactly_the_declared_keys():
    declared = {s.key for s in conf.DECLARED if not s.top_level}
    assert set(settings.RENDA) == declared
    for s in conf.DECLARED:
        if s.top_level:
            assert hasattr(settings, s.key), s.key


def test_every_declaration_has_a_doc_and_local_rules_a_label_and_bounds():
    for s in conf.DECLARED:
        assert s.doc.strip(), s.key
        assert s.kind in (conf.INT, conf.BOOL, conf.STR, conf.CHOICE, conf.LIST), s.key
        if s.local:
            assert str(s.label), s.key
            if s.kind == conf.INT:
                assert s.min is not None and s.max is not None, s.key
                assert s.min <= s.default <= s.max, s.key
            if s.kind == conf.CHOICE:
                assert s.default in {v for v, _label in s.choices}, s.key
            conf.clean(s.key, s.default)  # the default passes its own validation


def test_reading_an_undeclared_key_fails_loudly():
    with pytest.raises(KeyError, match="not declared"):
        conf.get("NO_SUCH_SETTING")


def test_get_reads_the_settings_at_call_time(settings):
    settings.RENDA = {**settings.RENDA, "API_TOKEN_DAYS": 7}
    assert conf.get("API_TOKEN_DAYS") == 7
    settings.RENDA = {k: v for k, v in settings.RENDA.items() if k != "API_TOKEN_DAYS"}
    assert conf.get("API_TOKEN_DAYS") == 30  # the declared default
