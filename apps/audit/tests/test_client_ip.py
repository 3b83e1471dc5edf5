"""The client address used by the audit log and the public throttle cannot be forged by a header."""

from django.test import RequestFactory

from apps.audit.middleware import client_ip


def request(xff=None, remote="203.0.113.7"):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.RENDA = {**settings.RENDA, "TRUSTED_PROXY_COUNT": 0}
    assert client_ip(request("1.2.3.4")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_saw_is_taken(settings):
    settings.RENDA = {**settings.RENDA, "TRUSTED_PROXY_COUNT": 1}
    # The client wrote "1.2.3.4" itself; our proxy appended the address it really saw.
    assert client_ip(request("1.2.3.4, 198.51.100.9", remote="10.0.0.1")) == "198.51.100.9"
    assert client_ip(request(None)) == "203.0.113.7"
