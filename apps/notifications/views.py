from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.common.pages import list_page

from . import selectors, services

EXPORT = [
    (gettext_lazy("时间"), lambda n: n.created_at),
    (gettext_lazy("标题"), lambda n: n.title),
    (gettext_lazy("内容"), lambda n: n.body),
    (gettext_lazy("状态"), lambda n: _("已读") if n.read_at else _("未读")),
]


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    return list_page(
        request,
        "notifications/list.html",
        selectors.for_user(request.user, unread_only=unread_only),
        context={"unread_only": unread_only},
        export=(_("消息通知"), EXPORT),
        per_page=30,
    )


@require_POST
@login_required
def open_notification(request, pk: int):
    """Mark the notification read and go where it points, if that is a page of this site."""
    notification = services.mark_read(user=request.user, notification_id=pk)
    if is_local_path(notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
@login_required
def read_all(request):
    n = services.mark_all_read(user=request.user)
    if n:
        messages.success(request, _("已将 %(n)d 条消息标为已读") % {"n": n})
    return redirect("notifications:list")


def is_local_path(url: str) -> bool:
    """Only paths on this site ("/opinions/42/"); never another host, "//host" or "/\\host"."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
