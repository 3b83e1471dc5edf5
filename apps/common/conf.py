"""Every RENDA setting, declared once: its default, type and one line of doc (issue #13 item 11).

`renda/settings/base.py` builds `settings.RENDA` from this table, so a deployment overrides a value there and
never in code. Code reads a value in one of two ways:
- `get(key)`: the deployment's value (`settings.RENDA`, read at call time, so a test's `settings` override
  works), or the declared default; an undeclared key raises, so a typo cannot silently read nothing;
- `apps.localrules.selectors.local_value(key, region)` for the keys marked `local=True`: the [local] rules of
  DOMAIN.md, which the county office sets for the county and overrides per township in the app; they fall
  back to `get(key)`.

Pure Python: no models, no database, so settings, rules modules and tests can import it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

INT, BOOL, STR, CHOICE, LIST = "int", "bool", "str", "choice", "list"
WEEKDAYS = ((0, _("星期一")), (1, _("星期二")), (2, _("星期三")), (3, _("星期四")), (4, _("星期五")))
WEEKDAYS += ((5, _("星期六")), (6, _("星期日")))
# Shares of the expected voters, in percent; 33 and 67 stand for exactly one and two thirds
# (apps.archive.rules.RATED_SHARES holds the fractions).
RATED_SHARES = ((0, _("不设下限")), (20, _("五分之一")), (25, _("四分之一")), (33, _("三分之一")))
RATED_SHARES += ((50, _("二分之一")), (67, _("三分之二")))


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    kind: str
    doc: str
    # [local]: kept per county and township in apps.localrules, edited by the county office.
    local: bool = False
    label: Any = ""
    unit: Any = ""
    min: int | None = None
    max: int | None = None
    choices: tuple = ()
    # False: one value per county (the county's scoring table, its publishing); a town cannot override it.
    town_override: bool = True
    # Names that a text value must contain, e.g. a numbering format's "{year}" and "{n}".
    placeholders: tuple[str, ...] = ()
    # Read from this environment variable when set (deployment values that differ between machines).
    env: str | None = None
    # A top-level Django setting (`settings.RENDA_PAGE_SIZE`) instead of a key of `settings.RENDA`.
    top_level: bool = False


def _local(key, default, label, unit="", lo=None, hi=None, doc="", **kw) -> Setting:
    kind = kw.pop("kind", BOOL if isinstance(default, bool) else INT if isinstance(default, int) else STR)
    return Setting(key, default, kind, doc, local=True, label=label, unit=unit, min=lo, max=hi, **kw)


_WD, _MONTHS = _("个工作日"), _("个月")

DECLARED: tuple[Setting, ...] = (
    # --- [local] rules of DOMAIN.md: county value, township override, default here ----------------------
    # Opinions (DOMAIN §3): working days allowed in each step of the lifecycle.
    _local("OPINION_ACCEPT_WORKING_DAYS", 3, _("社情民意受理时限"), _WD, 1, 30,
           "Working days to accept or refuse a registered opinion."),
    _local("OPINION_REPLY_WORKING_DAYS", 15, _("社情民意办理答复时限"), _WD, 1, 60,
           "Working days a handling unit has to reply to an assigned opinion (DOMAIN §3: 15)."),
    _local("OPINION_SEND_BACK_WORKING_DAYS", 3, _("社情民意退回交办时限"), _WD, 1, 15,
           "Working days within which a unit may send back an opinion that is not its business."),
    _local("OPINION_VISIT_WORKING_DAYS", 5, _("社情民意回访时限"), _WD, 1, 30,
           "Working days for the return visit after a reply."),
    # Suggestions (DOMAIN §4); the 3-month reply and 6-month extension are [law] and not settings.
    _local("SUGGESTION_REVIEW_WORKING_DAYS", 10, _("建议审查立案时限"), _WD, 1, 60,
           "Working days for the office to review a submitted suggestion."),
    _local("SUGGESTION_ASSIGN_WORKING_DAYS", 5, _("建议交办时限"), _WD, 1, 30,
           "Working days for the office to assign a registered suggestion."),
    _local("SUGGESTION_SEND_BACK_WORKING_DAYS", 7, _("建议退回交办时限"), _WD, 1, 30,
           "Working days within which a unit may send back a wrongly assigned suggestion (DOMAIN §4: 7)."),
    _local("SUGGESTION_FEEDBACK_WORKING_DAYS", 20, _("代表反馈意见时限"), _WD, 5, 60,
           "Working days every signer has to rate a reply (DOMAIN §4: 20)."),
    _local("SUGGESTION_REHANDLE_MONTHS", 1, _("建议重新办理时限"), _MONTHS, 1, 3,
           "Months to handle and reply again after a 'dissatisfied' (DOMAIN §4: 1)."),
    _local("SUGGESTION_COHANDLING_MONTHS", 1, _("协办单位提交协办意见时限"), _MONTHS, 1, 2,
           "Months a co-handling unit has to send its part to the lead unit (DOMAIN §4: 1)."),
    _local("DELIBERATION_ANSWER_WORKING_DAYS", 20, _("审议意见研究处理时限"), _WD, 5, 60,
           "Working days the government has to answer a digest of the groups' deliberation opinions."),
    # Rectification (整改, DOMAIN §7, issue 18 part 4).
    _local("RECTIFICATION_WORKING_DAYS", 20, _("整改时限"), _WD, 1, 120,
           "Working days a unit has to rectify a problem found by supervision (and again after a return)."),
    _local("RECTIFICATION_MAX_RETURNS", 2, _("整改退回次数上限"), _("次"), 0, 10,
           "Returns by the reviewing deputies before the next one goes to the presidium to decide."),
    # Livelihood projects (民生实事项目代表票决制, DOMAIN §6, issue 19): the vote's rules, all [local].
    _local("PROJECT_MIN_RATIO_PERCENT", 200, _("民生实事候选项目最低差额比例"), "%", 101, 500,
           "Candidates per place, in percent, before the vote may open (200: 2:1, 20 candidates for 10 "
           "places); there are always more candidates than places whatever this says."),
    _local("PROJECT_MAJORITY_OF_ALL", True, _("须获全体代表过半数选票"), "",
           doc="A project is adopted only with more than half of ALL the congress's deputies' votes (True), "
           "or of the ballots cast (False)."),
    _local("PROJECT_TIE_REVOTE", True, _("末位票数相等时在相等项目中再次投票"), "",
           doc="A tie at the last place is re-voted among the tied projects only (True); otherwise the tied "
           "places stay unfilled for the presidium to decide on a further round."),
    _local("PROJECT_FURTHER_ROUNDS", 1, _("未满额时可再次票决的轮数"), _("轮"), 0, 3,
           "Further rounds among the remaining candidates the presidium may call when places stay unfilled."),
    _local("PROJECT_DISSATISFIED_PERCENT", 30, _("民生实事不满意率整改线"), "%", 1, 100,
           "A project whose year-end dissatisfied share reaches this percent gets a rectification item."),
    # Numbers say where they are from (DOMAIN §11, issue 16 item 11): the town's short name before the year.
    _local("SUGGESTION_NUMBER_FORMAT", "{short}建〔{year}〕{n}号", _("建议立案号格式"), "", None, 40,
           "Registration number of a suggestion: {short} (the town's short name), {year} and {n} (running "
           "per town and year, never reused).", placeholders=("short", "year", "n")),
    _local("MOTION_NUMBER_FORMAT", "{short}案〔{year}〕{n}号", _("议案编号格式"), "", None, 40,
           "Number of a submitted motion: {short}, {year} and {n} (running per town and year, never reused).",
           placeholders=("short", "year", "n")),
    # Reception day (接待选民日, DOMAIN §3): the nth given weekday of each month, default the first Tuesday.
    _local("RECEPTION_DAY_NTH", 1, _("接待选民日：每月第几个"), "", 1, 4,
           "Which occurrence in the month of the reception weekday (1 = the first)."),
    _local("RECEPTION_DAY_WEEKDAY", 1, _("接待选民日：星期几"), "", kind=CHOICE, choices=WEEKDAYS,
           doc="Weekday of the reception day (0 = Monday; default Tuesday)."),
    # Contact quotas (DOMAIN §2, Hanyin/Xunyang).
    _local("QUOTA_HOUSEHOLDS_PER_DEPUTY", 20, _("每名代表联系户数"), _("户"), 0, 200,
           "Households each deputy contacts (Hanyin 20, Xunyang 10)."),
    _local("QUOTA_VOTERS_PER_DEPUTY", 50, _("每名代表联系选民数"), _("人"), 0, 1000,
           "Voters each deputy contacts (Hanyin 50)."),
    _local("QUOTA_MEMBER_DEPUTIES", 5, _("主席团/常委会成员联系代表数"), _("名"), 0, 50,
           "Deputies each presidium or standing-committee member contacts."),
    _local("QUOTA_MEMBER_HOUSEHOLDS", 5, _("主席团/常委会成员联系户数"), _("户"), 0, 50,
           "Households each presidium or standing-committee member contacts."),
    # Supervision (DOMAIN §7, issue 18).
    _local("APPOINTMENT_MIN_DEPUTIES", 3, _("约见须联名的最少代表人数"), _("名"), 1, 30,
           "Fewest deputies who jointly request an appointment (约见) with a head of a government body."),
    # Commitments and report-back (DOMAIN §8).
    _local("COMMITMENTS_MIN", 1, _("每名代表每年最少承诺实事件数"), _("件"), 0, 10,
           "Fewest practical commitments a deputy makes a year."),
    _local("COMMITMENTS_MAX", 3, _("每名代表每年最多承诺实事件数"), _("件"), 1, 10,
           "Most practical commitments a deputy may make a year."),
    _local("REPORT_BACK_MONTH", 12, _("代表述职月份"), _("月"), 1, 12,
           "Month of the year's report-back to voters (default December)."),
    # The year's calendar (issue 20 part 4): Cangxi sends its notice three working days ahead.
    _local("YEARPLAN_REMIND_WORKING_DAYS", 3, _("年度日历事项提前提醒"), _WD, 1, 15,
           "Working days before a calendar item that its reminder goes out (Cangxi: three)."),
    _local("REPORT_BACK_VOTERS_ONLY", True, _("述职测评仅限本镇（街道）登记选民"), "",
           doc="Only a phone number of a registered voter of the town may rate a report-back."),
    _local("REPORT_BACK_MIN_RATED_SHARE", 33, _("述职测评最低参评比例（占应到选民代表）"), "", kind=CHOICE,
           choices=RATED_SHARES,
           doc="Share of the expected voters who must have rated before a report-back rating may close; "
               "below it the office closes only with a recorded reason (default one third)."),
    # Department evaluations (工作评议, DOMAIN §7, issue 18 part 3).
    _local("EVALUATION_DISSATISFIED_SHARE", 20, _("工作评议不满意比例超过即须整改"), "%", 1, 100,
           "A department whose share of 不满意 in the satisfaction survey exceeds this percentage must "
           "file a rectification plan (default 20, i.e. 0.2)."),
    _local("EVALUATION_PLAN_WORKING_DAYS", 20, _("工作评议整改方案提交时限"), _WD, 1, 60,
           "Working days from the survey's result a flagged department has to file its rectification plan."),
    # Scoring (DOMAIN §8): the county's 100-point evaluation, one value per county.
    _local("DUTY_BAND_GOOD", 80, _("履职评价“好”等次最低分"), _("分"), 1, 200,
           "Lowest total of the 'good' band of the annual evaluation.", town_override=False),
    _local("DUTY_BAND_FAIR", 60, _("履职评价“较好”等次最低分"), _("分"), 0, 199,
           "Lowest total of the 'fair' band; below it a deputy is 'poor'.", town_override=False),
    _local("DUTY_AUTO_PUBLISH", False, _("每季度初自动公布履职积分"), "",
           doc="Publish last quarter's scores on a quarter's first day (counties usually do it by hand).",
           town_override=False),
    # --- [law] values kept as settings so that they are named once ---------------------------------------
    Setting("MOTION_MIN_SIGNERS", 5, INT, "Joint signers a deputies' motion needs [law: 5]."),
    # --- operational: one value per deployment ---------------------------------------------------------
    Setting("STAFF_SESSION_MAX_SECONDS", 12 * 3600, INT, "Absolute lifetime of a staff login session."),
    Setting("STAFF_SESSION_IDLE_SECONDS", 30 * 60, INT, "Idle time after which a staff session ends."),
    Setting("LOGIN_MAX_FAILURES_PER_HOUR", 100, INT, "Failed logins per account and hour before a lock."),
    Setting("LOGIN_FREE_FAILURES", 5, INT, "Failed logins before the growing delay starts."),
    Setting("LOGIN_DELAY_BASE_SECONDS", 1, INT, "Delay after the first counted failure; doubles each time."),
    Setting("LOGIN_DELAY_MAX_SECONDS", 300, INT, "Cap of the growing login delay."),
    Setting("LOGIN_IP_FREE_FAILURES", 30, INT,
            "Failed logins from one client address (any accounts) an hour before its growing delay starts; "
            "an office or a meeting hall shares one address."),
    Setting("LOGIN_IP_MAX_FAILURES_PER_HOUR", 200, INT,
            "Failed logins from one client address an hour before it may not try again within the hour."),
    Setting("API_TOKEN_DAYS", 30, INT, "Days an API token lives."),
    Setting("IMPORT_MAX_BYTES", 10 * 1024 * 1024, INT, "Largest Excel file accepted by the imports."),
    Setting("IMPORT_MAX_ROWS", 20000, INT, "Most rows an Excel import reads."),
    Setting("IMPORT_PENDING_HOURS", 24, INT,
            "Hours an uploaded ledger waits between its preview and the confirmation before it is deleted."),
    Setting("IDEMPOTENCY_KEY_DAYS", 60, INT,
            "Days a phone's draft key is kept: a draft sent again within them is recognised, not doubled."),
    Setting("REMIND_BEFORE_WORKING_DAYS", 2, INT, "Reminders go out this many working days ahead."),
    Setting("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, INT, "Largest attachment on a tracked item."),
    Setting("UPLOAD_TYPES", ["jpeg", "png", "gif", "webp", "pdf", "docx", "xlsx", "doc", "xls"], LIST,
            "Attachment types accepted, recognised by content, not by name."),
    Setting("PUBLIC_SUBMIT_PER_IP_PER_HOUR", 10, INT, "Public submissions per client address and hour."),
    Setting("PUBLIC_SUBMIT_PER_PHONE_PER_DAY", 5, INT, "Public submissions per phone number and day."),
    Setting("REPORT_BACK_ATTEMPTS_PER_IP_HOUR", 300, INT,
            "Report-back rating attempts per client address, meeting and hour (a hall shares one address)."),
    Setting("TRUSTED_PROXIES", [], LIST,
            "Addresses or networks of our own reverse proxies; X-Forwarded-For is read only from them "
            "(environment: comma-separated).", env="RENDA_TRUSTED_PROXIES"),
    Setting("NOTIFY_BACKEND", "apps.notifications.backends.ConsoleBackend", STR,
            "Class that sends SMS and e-mail; the console backend only logs them."),
    # Sign-in by SMS code and one-time links (issue 17).
    Setting("SMS_CODE_SECONDS", 300, INT, "Seconds a sign-in or password-reset code stays valid (5 min)."),
    Setting("SMS_CODES_PER_PHONE_PER_HOUR", 5, INT, "Codes one phone number may be sent an hour."),
    Setting("SMS_CODES_PER_IP_PER_HOUR", 20, INT, "Codes one client address may ask for an hour."),
    Setting("SMS_CODE_SHOWN_ON_PAGE", False, BOOL,
            "Demo only (on in renda.settings.dev): show the code just sent on the sign-in page; production "
            "settings force it off."),
    Setting("SIGNIN_LINK_HOURS", 72, INT, "Hours a one-time sign-in link (SMS or printed slip) stays valid."),
    Setting("ALIBABA_SMS_ACCESS_KEY_ID", "", STR, "Alibaba Cloud SMS AccessKey ID.",
            env="RENDA_ALIBABA_SMS_ACCESS_KEY_ID"),
    Setting("ALIBABA_SMS_ACCESS_KEY_SECRET", "", STR, "Alibaba Cloud SMS AccessKey secret.",
            env="RENDA_ALIBABA_SMS_ACCESS_KEY_SECRET"),
    Setting("ALIBABA_SMS_ENDPOINT", "dysmsapi.aliyuncs.com", STR, "Alibaba Cloud SMS API endpoint."),
    Setting("ALIBABA_SMS_SIGN_NAME", "", STR, "The approved SMS signature (短信签名)."),
    Setting("ALIBABA_SMS_TEMPLATE_LOGIN_CODE", "", STR, "Template code of a sign-in code (param: code)."),
    Setting("ALIBABA_SMS_TEMPLATE_RESET_CODE", "", STR, "Template code of a reset code (param: code)."),
    Setting("ALIBABA_SMS_TEMPLATE_SIGNIN_LINK", "", STR,
            "Template code of a one-time sign-in link (params: name, link)."),
    Setting("ALIBABA_SMS_TEMPLATE_DEADLINE", "", STR, "Template code of a deadline reminder (param: title)."),
    Setting("ALIBABA_SMS_TEMPLATE_NOTICE", "", STR, "Template code of any other notice (title or text)."),
    Setting("LIVE_THROTTLE_MS", 250, INT, "Live meeting screens are pushed at most once per this many ms."),
    Setting("LIVE_PHONE_THROTTLE_MS", 1000, INT, "Deputies' phones: at most once per this many ms."),
    Setting("BACKUP_DIR", "", STR, "Where `manage.py backup` writes (empty: <RENDA_VAR_DIR>/backups).",
            env="RENDA_BACKUP_DIR"),
    # The audit log's signed checkpoints (issue 22): the key is never in the database.
    Setting("AUDIT_SIGNING_KEY", "", STR,
            "Ed25519 key (64 hex digits, the seed) that signs the audit checkpoints; empty: read the file "
            "AUDIT_SIGNING_KEY_FILE names.", env="RENDA_AUDIT_SIGNING_KEY"),
    Setting("AUDIT_SIGNING_KEY_FILE", "", STR,
            "File holding the checkpoint signing key (hex seed); empty outside production: "
            "<RENDA_VAR_DIR>/audit-signing.key, created when missing. Production needs one of the two.",
            env="RENDA_AUDIT_SIGNING_KEY_FILE"),
    Setting("AUDIT_PUBLIC_KEYS", [], LIST,
            "Public keys (hex) of earlier signing keys, kept after a rotation so their checkpoints verify "
            "(environment: comma-separated).", env="RENDA_AUDIT_PUBLIC_KEYS"),
    Setting("AUDIT_CHECKPOINT_FILE", "", STR,
            "Append-only JSON-lines file of signed checkpoints, on a path the database administrator does "
            "not control (empty: <RENDA_VAR_DIR>/audit-checkpoints.jsonl).",
            env="RENDA_AUDIT_CHECKPOINT_FILE"),
    Setting("AUDIT_CHECKPOINT_EMAILS", [], LIST,
            "Addresses (the county office's) that receive a copy of every checkpoint by e-mail "
            "(environment: comma-separated; empty: none).", env="RENDA_AUDIT_CHECKPOINT_EMAILS"),
    # --- top-level Django settings named RENDA_* -------------------------------------------------------
    Setting("RENDA_ENV", "development", STR, "'production' selects renda.settings.production.",
            env="RENDA_ENV", top_level=True),
    Setting("RENDA_PAGE_SIZE", 50, INT, "Rows per page of a list, unless asked otherwise.", top_level=True),
    Setting("RENDA_MAX_PAGE_SIZE", 200, INT, "Most rows per page a list serves.", top_level=True),
)  # fmt: skip

SETTINGS: dict[str, Setting] = {}
for _s in DECLARED:
    if _s.key in SETTINGS:
        raise ValueError(f"RENDA setting {_s.key} declared twice")
    SETTINGS[_s.key] = _s

# Pairs (low, high) of [local] keys whose effective values must stay ordered (low < high, or <= for equal).
ORDERED: tuple[tuple[str, str, bool], ...] = (
    ("COMMITMENTS_MIN", "COMMITMENTS_MAX", True),
    ("DUTY_BAND_FAIR", "DUTY_BAND_GOOD", False),
)


def declared(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise KeyError(f"RENDA setting {key!r} is not declared in apps/common/conf.py") from None


def local_settings() -> list[Setting]:
    """The [local] rules, in the order they are declared."""
    return [s for s in DECLARED if s.local]


def _from_env(s: Setting) -> Any:
    raw = os.environ.get(s.env) if s.env else None
    if raw is None:
        return s.default
    if s.kind == LIST:
        return [part.strip() for part in raw.split(",") if part.strip()]
    return int(raw) if s.kind == INT else raw


def renda_defaults() -> dict[str, Any]:
    """The `RENDA` dict of settings/base.py: every declared key with its default (or environment value)."""
    return {s.key: _copy(_from_env(s)) for s in DECLARED if not s.top_level}


def top_level_defaults() -> dict[str, Any]:
    """The loose `RENDA_*` Django settings, for settings/base.py."""
    return {s.key: _from_env(s) for s in DECLARED if s.top_level}


def _copy(value):
    return list(value) if isinstance(value, list) else value


def get(key: str) -> Any:
    """The deployment's value of a declared setting, read now (tests' `settings` overrides apply)."""
    from django.conf import settings

    s = declared(key)
    if s.top_level:
        return getattr(settings, key, s.default)
    return getattr(settings, "RENDA", {}).get(key, s.default)


def clean(key: str, raw: Any) -> Any:
    """A [local] rule's value from input (JSON or a form's text), or ValueError with a Chinese message."""
    s = declared(key)
    if s.kind == BOOL:
        return _clean_bool(raw)
    if s.kind in (INT, CHOICE):
        value = _clean_int(raw)
        if s.kind == CHOICE and value not in {v for v, _label in s.choices}:
            raise ValueError(_("请选择列出的选项之一"))
        _check_bounds(s, value)
        return value
    return _clean_text(s, raw)


def _clean_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "on", "yes", "是"):
        return True
    if text in ("0", "false", "off", "no", "否", ""):
        return False
    raise ValueError(_("请选择“是”或“否”"))


def _clean_int(raw) -> int:
    if isinstance(raw, bool):
        raise ValueError(_("请输入整数"))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    try:
        return int(str(raw).strip())
    except ValueError:
        raise ValueError(_("请输入整数")) from None


def _check_bounds(s: Setting, value: int):
    if s.min is not None and value < s.min:
        raise ValueError(_("不能小于 %(min)s") % {"min": s.min})
    if s.max is not None and value > s.max:
        raise ValueError(_("不能大于 %(max)s") % {"max": s.max})


def _clean_text(s: Setting, raw) -> str:
    if not isinstance(raw, str):
        raise ValueError(_("请输入文字"))
    value = raw.strip()
    if not value:
        raise ValueError(_("不能为空"))
    if s.max is not None and len(value) > s.max:
        raise ValueError(_("不能超过 %(max)s 个字") % {"max": s.max})
    if s.placeholders:
        try:
            value.format(**{p: 1 for p in s.placeholders})
        except (KeyError, IndexError, ValueError):
            raise ValueError(_("只能使用 %(names)s 作为占位符") % {"names": _names(s)}) from None
        if any(value.count("{" + p + "}") != 1 for p in s.placeholders):
            raise ValueError(_("须各含一次 %(names)s") % {"names": _names(s)})
    return value


def _names(s: Setting) -> str:
    return "、".join("{" + p + "}" for p in s.placeholders)


def order_problem(values: dict[str, Any]) -> tuple[str, Any] | None:
    """(key, message) when effective values break an ordered pair (e.g. the minimum above the maximum)."""
    for low, high, equal_ok in ORDERED:
        a, b = values.get(low), values.get(high)
        if a is None or b is None:
            continue
        if a > b or (a == b and not equal_ok):
            message = _("“%(low)s”须小于%(eq)s“%(high)s”") % {
                "low": SETTINGS[low].label,
                "high": SETTINGS[high].label,
                "eq": _("或等于") if equal_ok else "",
            }
            return low, message
    return None


def format_number(fmt: str, *, short: str, year: int, n: int) -> str:
    """A number from a numbering format such as {short}建〔{year}〕{n}号 (城关建〔2026〕12号)."""
    return fmt.format(short=short, year=year, n=n)


def number_prefix(fmt: str, *, short: str, year: int) -> str:
    """What every number of one town and year starts with: the format up to {n}."""
    return fmt.split("{n}", 1)[0].format(short=short, year=year)
