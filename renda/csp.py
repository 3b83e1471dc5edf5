"""The Content-Security-Policy header of every response (django-csp; the policy is in settings/base.py)."""

from csp.middleware import CSPMiddleware
from django.core.exceptions import DisallowedHost


class RendaCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with this host's WebSocket origins added to `connect-src` for the live
    meeting screens: browsers of CSP level 3 count ws:/wss: of the same host under 'self', older ones (still
    found in township offices) do not, and a scheme alone (`wss:`) would allow any host."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()
        except DisallowedHost:  # answered 400 already; the policy needs no socket
            return parts
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", []), f"ws://{host}", f"wss://{host}"]
        parts.update = update
        return parts
