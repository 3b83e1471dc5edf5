"""The English catalogue is complete: every string the code marks for translation has English, none is fuzzy,
every placeholder survives, and the committed django.mo is the compiled django.po.

A new `_("…")` or `{% translate %}` without English fails here; the fix is
`manage.py makemessages -l en --no-obsolete -i ".venv/*" -i "var/*" -i "node_modules/*"`, translating the new
entries in locale/en/LC_MESSAGES/django.po and `manage.py compilemessages -l en`."""

import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What makemessages skips besides the catalogue itself (the flags the catalogue is made with).
NOT_SCANNED = {"locale", ".venv", "var", "node_modules", ".git"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text.strip()[1:-1])


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: its fields (msgctxt, msgid, msgid_plural, msgstr, msgstr[n]) unquoted, and
    its flags ("fuzzy", "python-format", ...) and whether it is obsolete (#~)."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry = None
            continue
        entry = entry or {"fields": {}, "flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line):
            field = match.group(1)
            entry["fields"][field] = _unquote(match.group(2))
        else:
            entry["fields"][field] += _unquote(line)
    return [e for e in entries if e["fields"].get("msgid") or e["obsolete"]]


def _translations(entry: dict) -> list[str]:
    return [value for key, value in entry["fields"].items() if key.startswith("msgstr")]


def _key(entry: dict) -> tuple:
    return entry["fields"].get("msgctxt"), entry["fields"]["msgid"]


def _label(entry: dict) -> str:
    return entry["fields"].get("msgid", "")[:60]


@pytest.fixture(scope="module")
def catalogue():
    return parse_po(PO)


def test_every_entry_has_english_and_none_is_fuzzy_or_obsolete(catalogue):
    assert len(catalogue) > 1000
    missing = [_label(e) for e in catalogue if not all(_translations(e))]
    fuzzy = [_label(e) for e in catalogue if "fuzzy" in e["flags"]]
    obsolete = [_label(e) for e in catalogue if e["obsolete"]]
    assert not missing, f"{len(missing)} strings without English, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy strings, e.g. {fuzzy[:5]}"
    assert not obsolete, f"{len(obsolete)} obsolete entries, e.g. {obsolete[:5]}"


def test_plural_entries_have_both_english_forms(catalogue):
    plurals = [e for e in catalogue if "msgid_plural" in e["fields"]]
    assert plurals
    for entry in plurals:
        assert set(entry["fields"]) >= {"msgstr[0]", "msgstr[1]"}, _label(entry)


def test_every_placeholder_survives_translation(catalogue):
    broken = []
    for entry in catalogue:
        fields = entry["fields"]
        sources = [fields["msgid"], fields.get("msgid_plural", fields["msgid"])]
        for key, english in fields.items():
            if not key.startswith("msgstr"):
                continue
            source = sources[1] if key not in ("msgstr", "msgstr[0]") else sources[0]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(english)):
                broken.append((_label(entry), english))
    assert not broken, broken[:5]


def test_the_committed_mo_is_the_compiled_po(catalogue):
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in catalogue:
        fields = entry["fields"]
        key = fields["msgid"] if "msgctxt" not in fields else f"{fields['msgctxt']}\x04{fields['msgid']}"
        if "msgid_plural" in fields:
            pairs = [((key, n), fields[f"msgstr[{n}]"]) for n in (0, 1)]
        else:
            pairs = [(key, fields["msgstr"])]
        stale += [_label(entry) for k, english in pairs if compiled.get(k) != english]
    assert not stale, f"django.mo is older than django.po; run compilemessages -l en ({stale[:5]})"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
def test_every_string_marked_in_the_code_is_in_the_catalogue(catalogue, tmp_path, monkeypatch, settings):
    """makemessages over a mirror of the project (links to every top-level folder except the catalogue), so
    that it writes a fresh catalogue into tmp_path instead of merging into the committed one."""
    root = Path(settings.BASE_DIR)
    for item in root.iterdir():
        if item.name not in NOT_SCANNED:
            os.symlink(item, tmp_path / item.name)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], symlinks=True, no_obsolete=True, verbosity=0)
    fresh = parse_po(tmp_path / PO.relative_to(root))
    new = sorted({_key(e) for e in fresh} - {_key(e) for e in catalogue}, key=str)
    assert not new, f"{len(new)} strings in the code are not in django.po, e.g. {new[:5]}"
