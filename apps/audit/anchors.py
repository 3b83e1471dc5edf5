"""Signed checkpoints of the audit log (issue 22): what `verify_audit` alone cannot see.

The hash chain shows an edited, inserted or deleted entry, but not a cut tail, nor a rewrite whose author
computed every later link again (the formula needs no secret). So the platform signs the chain's head
(sequence number, link, time) with a key that is not in the database (keys.py) and appends the checkpoint
to a file outside it (checkpoints.py), optionally e-mailing it to the county office; the home pages and
`GET /api/v1/audit/checkpoint` show the latest one. A head older than a signed checkpoint is a missing
tail; a link that differs from a signed one is a rewrite.

When: every 10 minutes if there are new entries (tasks.py), and after the commit of every event named in
`ANCHOR_ACTIONS` (a vote closed, an election counted, a publication). A restore to an older point or a
deliberate relink is declared by `reanchor(reason)`: an audited event, then a signed checkpoint of kind
"reanchor" that supersedes the checkpoints before it, reported as declared, not as tampering.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.common import conf
from apps.common.errors import DomainError
from apps.common.text import is_clean, normalize_newlines

from . import checkpoints, keys
from .errors import ErrorCode
from .models import AuditEvent
from .services import record, verify_chain

logger = logging.getLogger("renda.audit")

# Events whose commit is followed by a checkpoint: a vote's close, an election's count, a rating's result,
# and publications. Names as the apps record them (a workflow's: "<workflow key>.<event>").
ANCHOR_ACTIONS = frozenset(
    {
        "meeting.vote.closed",
        "election.counted",
        "ballotbox.box.closed",
        "ballotbox.box.tallied",
        "archive.report_back.rating_closed",
        "archive.report_back.rating_closed_anyway",
        "duty.scores.published",
        "suggestion.publish",
    }
)
REASON_MAX = 500


def checkpoint_path() -> Path:
    return Path(conf.get("AUDIT_CHECKPOINT_FILE") or Path(settings.VAR_DIR) / "audit-checkpoints.jsonl")


def _head() -> tuple[int, str] | None:
    return AuditEvent.objects.order_by("-seq").values_list("seq", "entry_hash").first()


def anchor_now(reason: str, *, kind: str = "anchor") -> dict | None:
    """Sign the committed chain head and append the checkpoint; None when the log is empty or an anchor
    finds the head already signed (nothing new since). A re-anchor is always written."""
    head = _head()
    if head is None:
        return None
    key = keys.signing_key()
    kid = keys.key_id(key.verify_key)

    def make(last):
        if kind == "anchor" and last and (last.get("seq"), last.get("link")) == head:
            return None
        return checkpoints.sign(
            key,
            kid,
            kind=kind,
            seq=head[0],
            link=head[1],
            at=timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            reason=reason[:REASON_MAX],
            prev=checkpoints.fingerprint(last) if last else "",
        )

    line = checkpoints.append(checkpoint_path(), make)
    if line is not None:
        logger.info("audit checkpoint #%s %s (%s)", line["seq"], line["kind"], reason)
        _mail(line)
    return line


def _mail(line: dict) -> None:
    """A copy to the county office's addresses; the file is the record, so a failed mail only logs."""
    to = conf.get("AUDIT_CHECKPOINT_EMAILS") or []
    if not to:
        return
    public = keys.trusted_keys().get(line["key_id"])
    body = "\n".join(
        [
            _("人大履职平台审计日志签名检查点，请留存本邮件以备核验。"),
            _("序号：%(seq)s　指纹：%(fp)s") % {"seq": line["seq"], "fp": checkpoints.fingerprint(line)},
            _("公钥：%(pk)s") % {"pk": keys.public_hex(public) if public else ""},
            "",
            checkpoints.canonical(line).decode(),
        ]
    )
    try:
        send_mail(_("审计日志检查点 #%(seq)s") % {"seq": line["seq"]}, body, None, list(to))
    except Exception:  # a mail server down must not stop the checkpoint
        logger.exception("audit checkpoint #%s: e-mail not sent", line["seq"])


class ReanchorRefused(DomainError):
    code = ErrorCode.REANCHOR_REFUSED


def reanchor(*, reason: str, actor=None) -> dict:
    """A declared re-anchor (a restore to an older point, a relink): audited with its reason, then signed.
    Refused while the chain itself has a break, which a re-anchor must never cover."""
    reason = normalize_newlines(reason or "").strip()
    problem = None
    if not reason or len(reason) > REASON_MAX or not is_clean(reason):
        problem = _("请写明重新锚定的原因（不超过 %(n)s 字，不含控制字符）") % {"n": REASON_MAX}
    elif breaks := list(verify_chain()):
        problem = _("审计日志本身有断点，不能重新锚定：%(p)s") % {"p": "；".join(breaks[:5])}
    if problem:
        record(actor=actor, action="audit.reanchor_refused", reason=reason[:REASON_MAX], summary={})
        raise ReanchorRefused(problem)
    latest = checkpoints.latest(checkpoint_path())
    with transaction.atomic():
        record(
            actor=actor,
            action="audit.reanchored",
            reason=reason,
            summary={"superseded": {k: latest.get(k) for k in ("seq", "link", "at")} if latest else None},
        )
    return anchor_now(reason, kind="reanchor")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)
    verified: dict | None = None  # the latest checkpoint the log still matches
    checkpoints: int = 0


def verify(batch: int = 2000) -> Report:
    """The log against the checkpoint file: every line's signature and place in the file, then each
    checkpoint not superseded by a later re-anchor against the entry it signed."""
    report = Report()
    try:
        trusted = keys.trusted_keys()
    except Exception as exc:  # a missing key must not hide the rest of the report
        trusted = {}
        report.problems.append(f"signing keys cannot be read: {exc}")
    good, prev = [], ""
    for ln in checkpoints.read(checkpoint_path()):
        report.checkpoints += 1
        seq = ln.data.get("seq") if ln.data else "?"
        bad = checkpoints.check(ln.data, trusted) if ln.data is not None else "not JSON"
        if bad:
            report.problems.append(f"checkpoint #{seq} (line {ln.number}): {bad}")
            continue
        if ln.data["prev"] != prev:
            report.problems.append(
                f"checkpoint #{seq} (line {ln.number}): does not follow the checkpoint before it "
                "(a checkpoint was removed, inserted or reordered)"
            )
        prev = checkpoints.fingerprint(ln.data)
        good.append(ln.data)
    binding = _declared(good, report)
    _against_log(binding, report, batch)
    return report


def _declared(good: list[dict], report: Report) -> list[dict]:
    """Checkpoints after the last re-anchor (itself included) bind; each re-anchor is reported as declared."""
    start = 0
    for i, cp in enumerate(good):
        if cp["kind"] == "reanchor":
            report.declared.append(
                f"re-anchor at #{cp['seq']} on {cp['at']} (key {cp['key_id']}): {cp['reason']}; "
                f"supersedes {i - start} earlier checkpoint(s)"
            )
            start = i
    return good[start:]


def _against_log(binding: list[dict], report: Report, batch: int) -> None:
    head = _head() or (0, "")
    links: dict[int, str] = {}
    wanted = sorted({cp["seq"] for cp in binding if cp["seq"] <= head[0]})
    for i in range(0, len(wanted), batch):
        part = wanted[i : i + batch]
        links.update(AuditEvent.objects.filter(seq__in=part).values_list("seq", "entry_hash"))
    beyond = [cp for cp in binding if cp["seq"] > head[0]]
    if beyond:
        last = max(beyond, key=lambda cp: cp["seq"])
        report.problems.append(
            f"entries #{head[0] + 1}–#{last['seq']} are missing: checkpoint #{last['seq']} of {last['at']} "
            f"was signed over them, the log ends at #{head[0]} (the tail was cut)"
        )
    matched, mismatched = None, []
    for cp in sorted((cp for cp in binding if cp["seq"] <= head[0]), key=lambda cp: cp["seq"]):
        if links.get(cp["seq"]) == cp["link"]:
            if not mismatched:
                matched = cp
        else:
            mismatched.append(cp)
    if mismatched:
        first = mismatched[0]
        low = matched["seq"] + 1 if matched else 1
        more = f"; {len(mismatched) - 1} later checkpoint(s) up to #{mismatched[-1]['seq']} differ too"
        report.problems.append(
            f"#{first['seq']}: no longer has the link checkpoint #{first['seq']} of {first['at']} signed: "
            f"entries #{low}–#{first['seq']} were rewritten" + (more if len(mismatched) > 1 else "")
        )
    report.verified = matched


def latest_public() -> dict | None:
    """The latest checkpoint as shown to everyone, with its fingerprint and public key; None: none yet."""
    line = checkpoints.latest(checkpoint_path())
    if not line or checkpoints.check(line, keys.trusted_keys()):
        return None
    fp = checkpoints.fingerprint(line)
    return {
        **line,
        "fingerprint": fp,
        "short": checkpoints.short(fp),
        "public_key": keys.public_hex(keys.trusted_keys()[line["key_id"]]),
    }
