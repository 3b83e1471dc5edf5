import ipaddress
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

from apps.common import conf

from .services import reset_current_ip, set_current_ip

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f'RENDA["TRUSTED_PROXIES"]: {exc}') from None


def _address(text: str | None) -> Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _trusted(addr: Address | None, networks: tuple[Network, ...]) -> bool:
    return addr is not None and any(addr in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address. X-Forwarded-For is written by the client too, so it is read only when the
    connection itself comes from one of our own proxies (`RENDA["TRUSTED_PROXIES"]`). Then the header is
    read from the right, past our own proxies, and the first address that is not one of them is the
    client: a proxy that overwrites the header (the documented setup) leaves one address there; one that
    appends leaves whatever the client wrote on the left, which is never reached."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(conf.get("TRUSTED_PROXIES")))
    if not _trusted(_address(remote), networks):
        return remote
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        addr = _address(hop)
        if addr is None:  # garbage, or nothing: the last proxy of ours is all we know
            break
        client = str(addr)
        if not _trusted(addr, networks):
            break
    return client


class AuditIPMiddleware:
    """Make the client's address available to `audit.services.record` for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_current_ip(token)
