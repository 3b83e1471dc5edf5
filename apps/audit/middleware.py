from apps.common import conf

from .services import reset_current_ip, set_current_ip


def client_ip(request) -> str | None:
    """The client's address. X-Forwarded-For is written by the client too, so it is read only when the
    deployment says how many proxies of its own sit in front (`RENDA["TRUSTED_PROXY_COUNT"]`), and then
    the address the outermost trusted proxy saw is taken, counting from the right."""
    hops = int(conf.get("TRUSTED_PROXY_COUNT"))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops > 0 and forwarded:
        addrs = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addrs:
            return addrs[-hops] if len(addrs) >= hops else addrs[0]
    return request.META.get("REMOTE_ADDR")


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
