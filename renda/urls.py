from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

from renda import pwa
from renda import views as common_views

from .api import api

urlpatterns = [
    path("", common_views.home, name="home"),
    path("todo/", common_views.todo_page, name="todo"),
    # The API first: a phone's ballot (the path a whole congress takes at once) is resolved without trying
    # every page's patterns before it (issue 16: the HTTP ballot's milliseconds).
    path("api/v1/", api.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("supervision/rectifications/", include("apps.rectification.urls")),
    path("procedures/", include("apps.procedures.urls")),
    path("", include("apps.people.urls")),
    path("", include("apps.places.urls")),
    path("", include("apps.opinions.urls")),
    path("", include("apps.suggestions.urls")),
    path("", include("apps.meetings.urls")),
    path("", include("apps.elections.urls")),
    path("", include("apps.duty.urls")),
    path("supervision/evaluations/", include("apps.evaluations.urls")),
    path("", include("apps.archive.urls")),
    path("", include("apps.ballotbox.urls")),
    path("supervision/dispatch/", include("apps.dispatch.urls")),
    path("supervision/", include("apps.supervision.urls")),
    path("yearplan/", include("apps.yearplan.urls")),
    path("dashboards/", include("apps.dashboards.urls")),
    path("assessment/", include("apps.assessment.urls")),
    path("", include("apps.assessment.public_urls")),
    path("projects/", include("apps.projects.urls")),
    path("p/projects/", include("apps.projects.public_urls")),
    path("", include("apps.public.urls")),
    path("", include("apps.localrules.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico whatever the page says; the icon is a static file.
    # The installable web app (issue 17 part 8): the service worker must come from the root to serve it all.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("favicon.ico", RedirectView.as_view(url=static_url("renda/favicon.svg"), permanent=True)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
