"""The kinds of SMS the platform sends: which are essential (sent whatever the person's preference), which
carry a secret (blanked in the outbox once sent), and which setting names each one's provider template."""

LOGIN_CODE = "login_code"  # a sign-in code (six digits)
RESET_CODE = "reset_code"  # a code to set a forgotten password
SIGNIN_LINK = "signin_link"  # a one-time sign-in link for a new login or a reset password
DEADLINE = "deadline"  # a reminder or escalation of a statutory or [local] deadline
NOTICE = "notice"  # anything else an inbox notification also says

KINDS = (LOGIN_CODE, RESET_CODE, SIGNIN_LINK, DEADLINE, NOTICE)
# Sent even to a deputy who turned non-essential messages off (issue 17).
ESSENTIAL = frozenset({LOGIN_CODE, RESET_CODE, SIGNIN_LINK, DEADLINE})
# Their text and parameters are blanked once the message has left: a code or link is not kept in clear.
SECRET = frozenset({LOGIN_CODE, RESET_CODE, SIGNIN_LINK})
# The setting (apps/common/conf.py) holding each kind's template code at the SMS provider.
TEMPLATE_SETTINGS = {
    LOGIN_CODE: "ALIBABA_SMS_TEMPLATE_LOGIN_CODE",
    RESET_CODE: "ALIBABA_SMS_TEMPLATE_RESET_CODE",
    SIGNIN_LINK: "ALIBABA_SMS_TEMPLATE_SIGNIN_LINK",
    DEADLINE: "ALIBABA_SMS_TEMPLATE_DEADLINE",
    NOTICE: "ALIBABA_SMS_TEMPLATE_NOTICE",
}
# Inbox notification kinds whose SMS is a deadline's (the workflow sweep's reminders and escalations).
DEADLINE_NOTIFICATIONS = frozenset({"workflow.reminder", "workflow.escalated"})
# Providers limit a template variable's length (Alibaba: 35 characters for most kinds).
PARAM_MAX_CHARS = 35


def sms_kind_of(notification_kind: str) -> str:
    return DEADLINE if notification_kind in DEADLINE_NOTIFICATIONS else NOTICE


def is_essential(kind: str) -> bool:
    return kind in ESSENTIAL
