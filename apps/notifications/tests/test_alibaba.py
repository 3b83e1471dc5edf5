"""The Alibaba Cloud SMS adapter, with a fake at the SDK boundary: the SDK's modules are replaced by fakes
that record the request, so the test needs neither the network nor the SDK installed."""

import json
import sys
import types
from dataclasses import dataclass

import pytest

from apps.notifications import delivery
from apps.notifications.alibaba import AlibabaSmsBackend, SmsRefused
from apps.notifications.models import DeliveryStatus, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sent_at_once(monkeypatch):
    """Queued messages leave at once (a test's transaction never commits, so on_commit would wait)."""
    from apps.notifications import services

    monkeypatch.setattr(services, "_queue_after_commit", lambda ids: services._enqueue(ids))


@dataclass
class Body:
    code: str
    message: str = ""
    biz_id: str = ""


class FakeClient:
    """Stands for `alibabacloud_dysmsapi20170525.client.Client`: records what it was asked to send."""

    sent: list = []
    answer = Body("OK", "OK", "BIZ123")

    def __init__(self, config):
        self.config = config
        FakeClient.configs.append(config)

    def send_sms(self, request):
        FakeClient.sent.append(request)
        return types.SimpleNamespace(body=FakeClient.answer)


class FakeConfig:
    def __init__(self, access_key_id=None, access_key_secret=None):
        self.access_key_id, self.access_key_secret, self.endpoint = access_key_id, access_key_secret, None


class FakeRequest:
    def __init__(self, **fields):
        self.__dict__.update(fields)


@pytest.fixture
def sdk(monkeypatch, settings):
    """The SDK's three modules, faked."""
    FakeClient.sent, FakeClient.configs, FakeClient.answer = [], [], Body("OK", "OK", "BIZ123")
    client_mod = types.ModuleType("alibabacloud_dysmsapi20170525.client")
    client_mod.Client = FakeClient
    models_mod = types.ModuleType("alibabacloud_dysmsapi20170525.models")
    models_mod.SendSmsRequest = FakeRequest
    package = types.ModuleType("alibabacloud_dysmsapi20170525")
    package.client, package.models = client_mod, models_mod
    openapi = types.ModuleType("alibabacloud_tea_openapi")
    openapi.models = types.SimpleNamespace(Config=FakeConfig)
    for name, mod in {
        "alibabacloud_dysmsapi20170525": package,
        "alibabacloud_dysmsapi20170525.client": client_mod,
        "alibabacloud_dysmsapi20170525.models": models_mod,
        "alibabacloud_tea_openapi": openapi,
    }.items():
        monkeypatch.setitem(sys.modules, name, mod)
    settings.RENDA = {
        **settings.RENDA,
        "NOTIFY_BACKEND": "apps.notifications.alibaba.AlibabaSmsBackend",
        "ALIBABA_SMS_ACCESS_KEY_ID": "LTAI-test",
        "ALIBABA_SMS_ACCESS_KEY_SECRET": "secret",
        "ALIBABA_SMS_SIGN_NAME": "汉阴县人大",
        "ALIBABA_SMS_TEMPLATE_LOGIN_CODE": "SMS_100",
        "ALIBABA_SMS_TEMPLATE_NOTICE": "SMS_200",
    }
    return FakeClient


def test_a_code_goes_out_with_the_kinds_template_signature_and_params(sdk):
    provider_id = AlibabaSmsBackend().send_sms(
        "13800000009", "验证码 123456", kind="login_code", params={"code": "123456"}
    )
    (request,) = sdk.sent
    assert request.phone_numbers == "13800000009"
    assert request.sign_name == "汉阴县人大" and request.template_code == "SMS_100"
    assert json.loads(request.template_param) == {"code": "123456"}
    assert provider_id == "BIZ123"
    (config,) = sdk.configs
    assert config.access_key_id == "LTAI-test" and config.endpoint == "dysmsapi.aliyuncs.com"


def test_a_refusal_of_the_provider_is_an_error_with_its_code(sdk):
    sdk.answer = Body("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控")
    with pytest.raises(SmsRefused, match="BUSINESS_LIMIT_CONTROL"):
        AlibabaSmsBackend().send_sms("13800000009", "x", kind="login_code", params={"code": "1"})


def test_a_kind_without_a_template_is_refused_before_calling(sdk):
    with pytest.raises(SmsRefused, match="ALIBABA_SMS_TEMPLATE_DEADLINE"):
        AlibabaSmsBackend().send_sms("13800000009", "x", kind="deadline", params={"title": "t"})
    assert not sdk.sent


def test_delivery_status_and_provider_id_are_stored(sdk):
    from apps.notifications.services import notify_contact

    ok = notify_contact(phone="13800000009", text="开会通知", dedupe_key="t:ok")
    ok.refresh_from_db()
    assert ok.status == DeliveryStatus.SENT and ok.provider_id == "BIZ123"
    assert json.loads(sdk.sent[-1].template_param) == {"text": "开会通知"}
    sdk.answer = Body("isv.MOBILE_NUMBER_ILLEGAL", "号码格式错误")
    bad = notify_contact(phone="13800000008", text="开会通知", dedupe_key="t:bad")
    bad = OutboundMessage.objects.get(pk=bad.pk)
    assert bad.status == DeliveryStatus.FAILED and "MOBILE_NUMBER_ILLEGAL" in bad.error
    assert delivery.send_queued([bad.pk]) == 0  # a failed message is not sent again by itself


def test_long_params_are_cut_to_the_providers_limit(sdk):
    AlibabaSmsBackend().send_sms("13800000009", "x", kind="notice", params={"title": "长" * 80})
    assert len(json.loads(sdk.sent[-1].template_param)["title"]) == 35
