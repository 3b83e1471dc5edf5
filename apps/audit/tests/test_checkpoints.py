"""Signed checkpoints (issue 22): the tests play the insider who can write the database (and the file),
but does not hold the signing key."""

import json
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from nacl.encoding import HexEncoder
from nacl.signing import SigningKey, VerifyKey

from apps.audit import anchors, checkpoints, keys
from apps.audit.models import AuditEvent, chain_hash
from apps.audit.services import GENESIS, record, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(settings):
    signing = SigningKey.generate()
    settings.RENDA = {**settings.RENDA, "AUDIT_SIGNING_KEY": signing.encode(HexEncoder).decode()}
    return signing


def _events(n, start=0):
    for i in range(start, start + n):
        record(actor=None, action=f"test.e{i}", summary={"n": i})


def _lines():
    return [ln.data for ln in checkpoints.read(anchors.checkpoint_path())]


def _relink_from(seq):
    """What the insider does after editing an entry: compute every later link again (no secret needed)."""
    prev = AuditEvent.objects.get(seq=seq - 1).entry_hash if seq > 1 else GENESIS
    for ev in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        link = chain_hash(prev, ev.seq, ev.content_hash())
        AuditEvent.objects.filter(pk=ev.pk).update(prev_hash=prev, entry_hash=link)
        prev = link


def test_a_clean_chain_reports_the_latest_verified_checkpoint(key, capsys):
    _events(3)
    first = anchors.anchor_now("test")
    _events(2, 3)
    second = anchors.anchor_now("test")
    assert (first["seq"], second["seq"]) == (3, 5)
    assert second["prev"] == checkpoints.fingerprint(first)
    report = anchors.verify()
    assert report.problems == [] and report.verified["seq"] == 5
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "intact: 5 entries" in out and "latest verified checkpoint: #5" in out


def test_no_new_entries_no_new_checkpoint(key):
    from apps.audit.tasks import anchor_periodically

    _events(2)
    anchor_periodically()
    anchor_periodically()
    assert len(_lines()) == 1


def test_a_cut_tail_is_detected_with_the_missing_numbers(key):
    _events(5)
    anchors.anchor_now("test")
    AuditEvent.objects.filter(seq__gte=4).delete()  # behind the model's back, as a DBA would
    assert list(verify_chain()) == []  # the chain alone cannot see it
    report = anchors.verify()
    assert any("#4–#5 are missing" in p for p in report.problems), report.problems
    with pytest.raises(CommandError, match="audit log broken"):
        call_command("verify_audit")


def test_a_rewritten_entry_with_every_later_link_recomputed_is_detected(key):
    _events(2)
    anchors.anchor_now("test")  # #2
    _events(3, 2)
    anchors.anchor_now("test")  # #5
    AuditEvent.objects.filter(seq=3).update(summary={"n": "forged"})
    _relink_from(3)
    assert list(verify_chain()) == []  # the chain verifies again
    report = anchors.verify()
    assert any(p.startswith("#5:") and "entries #3–#5 were rewritten" in p for p in report.problems)
    assert report.verified["seq"] == 2


def test_a_checkpoint_file_replaced_by_one_signed_with_another_key_is_detected(key):
    _events(3)
    anchors.anchor_now("test")
    AuditEvent.objects.filter(seq=3).delete()
    other = SigningKey.generate()
    path = anchors.checkpoint_path()
    path.unlink()
    # The insider's own file over the cut log: signed by a key of their own, and one claiming ours.
    head = AuditEvent.objects.get(seq=2).entry_hash
    own = checkpoints.sign(
        other, keys.key_id(other.verify_key), kind="anchor", seq=2, link=head, at="t", reason="", prev=""
    )
    claimed = {**own, "key_id": keys.key_id(key.verify_key), "prev": checkpoints.fingerprint(own)}
    path.write_text(json.dumps(own) + "\n" + json.dumps(claimed) + "\n", encoding="utf-8")
    problems = anchors.verify().problems
    assert any("line 1" in p and "unknown key" in p for p in problems), problems
    assert any("line 2" in p and "signature does not verify" in p for p in problems), problems
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_a_checkpoint_taken_out_of_the_file_is_detected(key):
    for i in range(3):
        _events(1, i)
        anchors.anchor_now("test")
    path = anchors.checkpoint_path()
    lines = path.read_text().splitlines()
    path.write_text(lines[0] + "\n" + lines[2] + "\n")
    assert any("#3 (line 2): does not follow" in p for p in anchors.verify().problems)


def test_a_restore_to_an_older_point_is_declared_by_a_signed_audited_reanchor(key, capsys):
    _events(5)
    anchors.anchor_now("test")
    AuditEvent.objects.filter(seq__gte=4).delete()
    assert anchors.verify().problems
    call_command("reanchor", "--reason", "从 12 月 1 日的备份恢复")
    assert AuditEvent.objects.filter(action="audit.reanchored", reason="从 12 月 1 日的备份恢复").exists()
    assert _lines()[-1]["kind"] == "reanchor" and _lines()[-1]["seq"] == 4
    report = anchors.verify()
    assert report.problems == [] and report.verified["kind"] == "reanchor"
    assert any("从 12 月 1 日的备份恢复" in d for d in report.declared)
    call_command("verify_audit")
    assert "declared: re-anchor at #4" in capsys.readouterr().out


def test_a_reanchor_never_covers_a_broken_chain_nor_goes_without_a_reason(key):
    _events(3)
    anchors.anchor_now("test")
    AuditEvent.objects.filter(seq=2).update(summary={"forged": True})
    with pytest.raises(anchors.ReanchorRefused):
        anchors.reanchor(reason="迁移")
    with pytest.raises(CommandError, match="断点"):
        call_command("reanchor", "--reason", "迁移")
    with pytest.raises(anchors.ReanchorRefused):
        anchors.reanchor(reason="  ")
    assert AuditEvent.objects.filter(action="audit.reanchor_refused").count() == 3
    assert all(line["kind"] == "anchor" for line in _lines())


def test_a_vote_close_count_or_publication_is_anchored_once_committed(
    key, django_capture_on_commit_callbacks
):
    _events(2)
    with django_capture_on_commit_callbacks(execute=True):
        record(actor=None, action="test.other")
    assert _lines() == []
    for action in ("meeting.vote.closed", "election.counted", "duty.scores.published"):
        with django_capture_on_commit_callbacks(execute=True):
            ev = record(actor=None, action=action)
        assert (_lines()[-1]["seq"], _lines()[-1]["reason"]) == (ev.seq, action)


def test_each_checkpoint_is_mailed_to_the_county_office(key, settings, mailoutbox):
    settings.RENDA = {**settings.RENDA, "AUDIT_CHECKPOINT_EMAILS": ["rdb@county.example.gov.cn"]}
    _events(2)
    line = anchors.anchor_now("test")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["rdb@county.example.gov.cn"]
    assert "#2" in mailoutbox[0].subject
    assert checkpoints.canonical(line).decode() in mailoutbox[0].body
    assert keys.public_hex(key.verify_key) in mailoutbox[0].body


def test_the_public_endpoint_serves_what_an_outside_party_checks(key, client):
    assert client.get("/api/v1/audit/checkpoint").status_code == 404
    _events(2)
    anchors.anchor_now("test")
    body = client.get("/api/v1/audit/checkpoint").json()  # anonymous
    assert body["seq"] == 2 and body["key_id"] == keys.key_id(key.verify_key)
    # The documented check (docs/OPERATIONS.md): the signature over the canonical JSON of the fields.
    signed = {k: body[k] for k in ("kind", "seq", "link", "at", "reason", "key_id", "prev")}
    message = json.dumps({**signed, "v": 1}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    VerifyKey(bytes.fromhex(body["public_key"])).verify(message.encode(), bytes.fromhex(body["signature"]))
    assert body["short_fingerprint"] == checkpoints.short(body["fingerprint"])


def test_the_offices_home_page_shows_the_latest_checkpoint(key, world, client):
    _events(2)
    line = anchors.anchor_now("test")
    client.force_login(world.town_user)
    page = client.get("/").content.decode()
    assert checkpoints.short(checkpoints.fingerprint(line)) in page and "第 2 条" in page


def test_verify_checkpoint_checks_a_file_with_the_public_key_alone(key, tmp_path, capsys):
    _events(2)
    anchors.anchor_now("test")
    path = str(anchors.checkpoint_path())
    call_command("verify_checkpoint", path, "--public-key", keys.public_hex(key.verify_key))
    assert "1 checkpoint(s) verify" in capsys.readouterr().out
    stranger = keys.public_hex(SigningKey.generate().verify_key)
    with pytest.raises(CommandError):
        call_command("verify_checkpoint", path, "--public-key", stranger)


def test_a_rotated_key_keeps_the_old_checkpoints_trusted(key, settings):
    _events(2)
    anchors.anchor_now("test")
    new = SigningKey.generate()
    settings.RENDA = {**settings.RENDA, "AUDIT_SIGNING_KEY": new.encode(HexEncoder).decode()}
    _events(1, 2)
    anchors.anchor_now("test")
    assert {line["key_id"] for line in _lines()} == {keys.key_id(key.verify_key), keys.key_id(new.verify_key)}
    assert any("unknown key" in p for p in anchors.verify().problems)  # the old public key not kept
    settings.RENDA = {**settings.RENDA, "AUDIT_PUBLIC_KEYS": [keys.public_hex(key.verify_key)]}
    report = anchors.verify()
    assert report.problems == [] and report.verified["seq"] == 3


def test_outside_production_a_dev_key_is_made_under_var_and_kept(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.RENDA = {**settings.RENDA, "AUDIT_SIGNING_KEY": "", "AUDIT_SIGNING_KEY_FILE": ""}
    first = keys.signing_key()
    path = tmp_path / keys.DEV_KEY_NAME
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert keys.signing_key().encode() == first.encode()
    settings.RENDA_ENV = "production"
    with pytest.raises(ImproperlyConfigured):
        keys.signing_key()


def test_a_key_file_the_settings_name_is_used(settings, tmp_path):
    made = keys.write_new_key(tmp_path / "k")
    settings.RENDA = {
        **settings.RENDA,
        "AUDIT_SIGNING_KEY": "",
        "AUDIT_SIGNING_KEY_FILE": str(tmp_path / "k"),
    }
    assert keys.signing_key().encode() == made.encode()
    with pytest.raises(FileExistsError):
        keys.write_new_key(tmp_path / "k")


def test_every_anchoring_action_is_one_the_apps_record():
    """A renamed event must not silently stop its checkpoints: each name is recorded somewhere, literally
    or as a workflow's "<key>.<event>"."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = {
        p: p.read_text(encoding="utf-8")
        for p in root.glob("*/**/*.py")
        if "tests" not in p.parts and p.parts[-3:-1] != ("apps", "audit") and "migrations" not in p.parts
    }
    for name in anchors.ANCHOR_ACTIONS:
        key, _dot, event = name.rpartition(".")
        literal = any(f'"{name}"' in text for text in sources.values())
        workflow = any(
            f'key="{key}"' in text and f'event="{event}"' in text
            for p, text in sources.items()
            if p.name == "workflow.py"
        )
        assert literal or workflow, name
