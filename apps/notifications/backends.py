"""Where SMS and e-mail leave the platform. `settings.RENDA["NOTIFY_BACKEND"]` names the class; a real SMS
gateway or mail relay is one more subclass of `Backend`, chosen in settings, with no change to callers."""

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.utils.module_loading import import_string

from apps.common import conf

logger = logging.getLogger("renda.notify")


class Backend(ABC):
    """Send one message or raise; any exception marks the message failed with its text as the error.

    An SMS has a `kind` (`kinds.py`: a sign-in code, a deadline, a notice ...) and the `params` of that
    kind's template: a provider that sends only registered templates (Alibaba Cloud SMS) uses them, the
    others send `text`. `send_sms` may return the provider's message id, which is stored with the message."""

    @abstractmethod
    def send_sms(
        self, phone: str, text: str, *, kind: str = "notice", params: dict | None = None
    ) -> str | None: ...

    @abstractmethod
    def send_email(self, address: str, subject: str, text: str) -> None: ...


class ConsoleBackend(Backend):
    """Development and demo: every message goes to the log (and so to the console), nowhere else."""

    def send_sms(self, phone: str, text: str, *, kind: str = "notice", params: dict | None = None) -> None:
        logger.info("SMS to %s: %s", phone, text)

    def send_email(self, address: str, subject: str, text: str) -> None:
        logger.info("E-mail to %s: %s\n%s", address, subject, text)


@dataclass(frozen=True)
class Sent:
    channel: str
    address: str
    subject: str
    text: str
    kind: str = ""
    params: dict | None = None


# What MemoryBackend has sent, oldest first; tests clear it.
outbox: list[Sent] = []


class MemoryBackend(Backend):
    """Tests: messages are appended to `outbox`."""

    def send_sms(self, phone: str, text: str, *, kind: str = "notice", params: dict | None = None) -> None:
        outbox.append(Sent("sms", phone, "", text, kind, dict(params or {})))

    def send_email(self, address: str, subject: str, text: str) -> None:
        outbox.append(Sent("email", address, subject, text))


def get_backend() -> Backend:
    return import_string(conf.get("NOTIFY_BACKEND"))()
