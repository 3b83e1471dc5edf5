from django.contrib import auth
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.common import conf
from apps.common.errors import DomainError

from .services import LoginThrottled, log_in


def login_page(request):
    error, retry_after = None, None
    identifier = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        identifier = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        if not identifier or not password:
            error = _("请输入用户名（或手机号）和密码")
        else:
            try:
                user = log_in(identifier=identifier, password=password, request=request)
            except LoginThrottled as exc:
                error, retry_after = exc.message, exc.retry_after
            except DomainError as exc:
                error = exc.message
            else:
                auth.login(request, user, backend="apps.accounts.backends.PhoneOrUsernameBackend")
                safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
                return redirect(next_url if safe and next_url else "home")
    response = render(
        request,
        "accounts/login.html",
        {
            "error": error,
            "identifier": identifier,
            "next": next_url,
            "expired": request.GET.get("expired"),
            "show_demo_hint": conf.get("RENDA_ENV") != "production",
        },
        status=429 if retry_after else 400 if error else 200,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def logout_page(request):
    auth.logout(request)
    return redirect("accounts:login")
