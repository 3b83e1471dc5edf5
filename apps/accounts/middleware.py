import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url

from apps.common import conf

from .scopes import is_staff_role

_STARTED, _SEEN = "renda_session_started", "renda_session_seen"


class StaffSessionTimeoutMiddleware:
    """Staff sessions end 12 hours after login, or after 30 minutes without a request (issue #3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_role(user):
            now = time.time()
            started = request.session.setdefault(_STARTED, now)
            seen = request.session.get(_SEEN, now)
            if now - started > conf.get("STAFF_SESSION_MAX_SECONDS") or now - seen > conf.get(
                "STAFF_SESSION_IDLE_SECONDS"
            ):
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                query = urlencode({"next": request.path, "expired": 1})
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")
            # Written at most once a minute: a session save per page view costs a query and a commit,
            # and the idle limit (30 minutes) does not need finer time.
            if now - seen >= 60 or _SEEN not in request.session:
                request.session[_SEEN] = now
        return self.get_response(request)


class PasswordChangeMiddleware:
    """A login an office has just issued or reset sets its own password before anything else (issue 17):
    pages lead to the password page, the API answers 403 `password_change_required`."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/api/v1/accounts/password", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                from .errors import PasswordChangeRequired

                exc = PasswordChangeRequired()
                return JsonResponse(
                    exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False}
                )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{resolve_url('accounts:password')}?{query}")
        return self.get_response(request)
