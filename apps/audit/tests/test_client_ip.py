"""The client address used by the audit log and the throttles cannot be forged by a header."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from apps.audit.middleware import client_ip


def request(xff=None, remote="203.0.113.7"):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.fixture
def proxies(settings):
    def set_(*entries):
        settings.RENDA = {**settings.RENDA, "TRUSTED_PROXIES": list(entries)}

    return set_


def test_without_trusted_proxies_the_header_is_ignored(proxies):
    proxies()
    assert client_ip(request("1.2.3.4")) == "203.0.113.7"


def test_a_header_from_outside_the_trusted_proxies_is_ignored(proxies):
    proxies("10.0.0.1")
    # The client reached the application directly (not through our proxy) and wrote the header itself.
    assert client_ip(request("1.2.3.4", remote="203.0.113.7")) == "203.0.113.7"


def test_behind_a_proxy_that_overwrites_the_header_its_address_is_the_client(proxies):
    proxies("10.0.0.0/24")
    assert client_ip(request("198.51.100.9", remote="10.0.0.1")) == "198.51.100.9"
    assert client_ip(request(None, remote="10.0.0.1")) == "10.0.0.1"


def test_behind_a_proxy_that_appends_what_the_client_wrote_is_never_reached(proxies):
    proxies("10.0.0.1", "10.0.0.2")
    # The client wrote "1.2.3.4"; our outer proxy appended what it saw, our inner proxy what it saw.
    assert client_ip(request("1.2.3.4, 198.51.100.9, 10.0.0.2", remote="10.0.0.1")) == "198.51.100.9"
    assert client_ip(request("1.2.3.4, not-an-address", remote="10.0.0.1")) == "10.0.0.1"


def test_ipv6_proxies_and_clients(proxies):
    proxies("fd00::/8")
    assert client_ip(request("2001:db8::7", remote="fd00::1")) == "2001:db8::7"


def test_a_wrong_trusted_proxy_entry_is_a_configuration_error(proxies):
    proxies("10.0.0.300")
    with pytest.raises(ImproperlyConfigured):
        client_ip(request("1.2.3.4", remote="10.0.0.1"))
