"""Alibaba Cloud SMS (阿里云短信服务) through its official SDK, `alibabacloud-dysmsapi20170525`.

Configured by settings (apps/common/conf.py): the AccessKey pair, the signature (签名) and one template code
per message kind (`kinds.TEMPLATE_SETTINGS`), since the provider sends only registered templates. The SDK is
imported when the backend is made, so the rest of the platform runs without it; the tests replace it at the
SDK boundary (`client_factory`, or the modules themselves)."""

from __future__ import annotations

import json

from apps.common import conf

from . import kinds
from .backends import Backend, ConsoleBackend


class SmsRefused(Exception):
    """The provider answered, but not OK: its code and message become the message's error."""


def _sdk_client():
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi import models as open_api_models

    config = open_api_models.Config(
        access_key_id=conf.get("ALIBABA_SMS_ACCESS_KEY_ID"),
        access_key_secret=conf.get("ALIBABA_SMS_ACCESS_KEY_SECRET"),
    )
    config.endpoint = conf.get("ALIBABA_SMS_ENDPOINT")
    return Client(config)


def _request(**fields):
    from alibabacloud_dysmsapi20170525 import models as sms_models

    return sms_models.SendSmsRequest(**fields)


class AlibabaSmsBackend(Backend):
    """SMS through Alibaba Cloud; e-mail as the console backend does (the platform has no mail relay here)."""

    def __init__(self, client_factory=_sdk_client, request_factory=_request):
        self._client_factory, self._request_factory = client_factory, request_factory
        self._client = None

    def _template(self, kind: str) -> str:
        setting = kinds.TEMPLATE_SETTINGS.get(kind, kinds.TEMPLATE_SETTINGS[kinds.NOTICE])
        template = conf.get(setting)
        if not template:
            raise SmsRefused(f"no template code configured in {setting}")
        return template

    def send_sms(self, phone: str, text: str, *, kind: str = kinds.NOTICE, params: dict | None = None) -> str:
        template = self._template(kind)
        values = {k: str(v)[: kinds.PARAM_MAX_CHARS] for k, v in (params or {"text": text}).items()}
        request = self._request_factory(
            phone_numbers=phone,
            sign_name=conf.get("ALIBABA_SMS_SIGN_NAME"),
            template_code=template,
            template_param=json.dumps(values, ensure_ascii=False),
        )
        if self._client is None:
            self._client = self._client_factory()
        body = self._client.send_sms(request).body
        if getattr(body, "code", None) != "OK":
            raise SmsRefused(f"{getattr(body, 'code', '?')}: {getattr(body, 'message', '')}")
        return getattr(body, "biz_id", "") or ""

    def send_email(self, address: str, subject: str, text: str) -> None:
        ConsoleBackend().send_email(address, subject, text)
