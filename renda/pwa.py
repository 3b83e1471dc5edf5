"""The deputy's phone as an installable web app (issue 17 part 8): the web app manifest, the service worker
served from the root scope, and the offline page it shows when there is no signal.

The service worker (static/renda/sw.js) keeps only the app shell: our static files and the offline page. It
never keeps an API answer; the entry forms a deputy may need offline (duty record, opinion) are kept in a
cache of the session, dropped at logout. The pages work without it: on plain HTTP browsers do not run
service workers, and the drafts (static/renda/drafts.js) still wait in the phone while a form is open."""

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME = "#b71c1c"


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    icons = [
        {"src": static(f"renda/icons/{name}-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        | ({"purpose": "maskable"} if name == "maskable" else {})
        for name in ("icon", "maskable")
        for size in (192, 512)
    ]
    shortcuts = [
        (_("待办"), reverse("home")),
        (_("会议表决"), reverse("meetings:list")),
        (_("我的履职"), reverse("duty:mine")),
        (_("登记履职"), reverse("duty:new")),
        (_("登记选民意见"), reverse("opinions:new")),
    ]
    data = {
        "name": _("人大代表履职"),
        "short_name": _("代表履职"),
        "description": _("人大代表的待办、会议与表决、履职登记和选民意见"),
        "lang": "zh-CN",
        "dir": "ltr",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": icons,
        "shortcuts": [{"name": name, "url": url} for name, url in shortcuts],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@cache_control(no_cache=True)  # a new version reaches the phones at once; browsers check at least daily
def service_worker(request):
    path = finders.find("renda/sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as f:
        response = HttpResponse(f.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """What the service worker shows for a page it cannot reach: no personal data, so it may be cached."""
    return render(request, "pwa/offline.html")
