"""Pages of signing in by SMS code or one-time link, the forgotten password, one's own password and message
preferences (issue 17). The same services answer the API (manage_api.py)."""

from __future__ import annotations

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.common import conf
from apps.common.errors import DomainError

from . import signin
from .services import LoginThrottled

BACKEND = "apps.accounts.backends.PhoneOrUsernameBackend"


def _demo_code(code):
    """A code shown on the page: the demo only, never with production settings."""
    if code and conf.get("SMS_CODE_SHOWN_ON_PAGE") and conf.get("RENDA_ENV") != "production":
        return code
    return None


def _safe_next(request, default: str = "home") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    return (
        url if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) else default
    )


def _answer(request, template, context, error=None, retry_after=None):
    context = {**context, "error": error}
    response = render(request, template, context, status=429 if retry_after else 400 if error else 200)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def code_login(request):
    """Step one: a phone number, a code is sent; step two: the code, signed in."""
    phone = request.POST.get("phone", "").strip()
    context = {
        "phone": phone,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "sent": False,
    }
    if request.method != "POST":
        return _answer(request, "accounts/code_login.html", context)
    try:
        if request.POST.get("step") == "send":
            code = signin.request_code(phone=phone, purpose="login")
            context.update(sent=True, demo_code=_demo_code(code))
            return _answer(request, "accounts/code_login.html", context)
        context["sent"] = True
        user = signin.log_in_with_code(phone=phone, code=request.POST.get("code", ""))
    except LoginThrottled as exc:
        return _answer(request, "accounts/code_login.html", context, exc.message, exc.retry_after)
    except DomainError as exc:
        return _answer(request, "accounts/code_login.html", context, exc.message)
    auth.login(request, user, backend=BACKEND)
    return redirect(_safe_next(request))


def forgot_password(request):
    """A reset code to the phone, then the code and a new password."""
    phone = request.POST.get("phone", "").strip()
    context = {"phone": phone, "sent": False}
    if request.method != "POST":
        return _answer(request, "accounts/forgot.html", context)
    try:
        if request.POST.get("step") == "send":
            code = signin.request_code(phone=phone, purpose="reset")
            context.update(sent=True, demo_code=_demo_code(code))
            return _answer(request, "accounts/forgot.html", context)
        context["sent"] = True
        signin.reset_with_code(
            phone=phone, code=request.POST.get("code", ""), new_password=request.POST.get("new_password", "")
        )
    except LoginThrottled as exc:
        return _answer(request, "accounts/forgot.html", context, exc.message, exc.retry_after)
    except DomainError as exc:
        return _answer(request, "accounts/forgot.html", {**context, "fields": exc.fields}, exc.message)
    messages.success(request, _("密码已重新设置，请用新密码登录。"))
    return redirect("accounts:login")


def link_login(request, token: str):
    """A one-time sign-in link: the page asks before using it (a link checker opening it uses nothing)."""
    if request.method != "POST":
        return render(request, "accounts/link.html", {})
    try:
        user = signin.log_in_with_link(raw=token)
    except DomainError as exc:
        return render(request, "accounts/link.html", {"error": exc.message}, status=400)
    auth.login(request, user, backend=BACKEND)
    return redirect("accounts:password")


@login_required
def password_page(request):
    """Set one's own password; the first sign-in after an office issued or reset the login comes here."""
    user = request.user
    context = {"must": user.must_change_password, "next": request.POST.get("next") or request.GET.get("next")}
    if request.method != "POST":
        return render(request, "accounts/password.html", context)
    try:
        signin.change_own_password(
            user=user,
            old_password=request.POST.get("old_password", ""),
            new_password=request.POST.get("new_password", ""),
        )
    except DomainError as exc:
        context.update(error=exc.message, fields=exc.fields)
        return render(request, "accounts/password.html", context, status=400)
    auth.update_session_auth_hash(request, user)
    messages.success(request, _("密码已修改。"))
    return redirect(_safe_next(request))


@login_required
def my_account(request):
    """One's own account: message preferences (non-essential SMS on or off)."""
    if request.method == "POST":
        signin.set_preferences(user=request.user, sms_optional=request.POST.get("sms_optional") == "on")
        messages.success(request, _("已保存。"))
        return redirect("accounts:me")
    return render(request, "accounts/me.html", {})
