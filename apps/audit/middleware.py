from .services import reset_current_ip, set_current_ip


def client_ip(request) -> str | None:
    # Behind the reverse proxy the first X-Forwarded-For address is the client's.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or None) if forwarded else request.META.get("REMOTE_ADDR")


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
