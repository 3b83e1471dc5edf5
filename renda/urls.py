from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from renda import views as common_views

from .api import api

urlpatterns = [
    path("", common_views.home, name="home"),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.people.urls")),
    path("", include("apps.places.urls")),
    path("", include("apps.opinions.urls")),
    path("", include("apps.suggestions.urls")),
    path("", include("apps.meetings.urls")),
    path("", include("apps.elections.urls")),
    path("", include("apps.duty.urls")),
    path("", include("apps.archive.urls")),
    path("", include("apps.localrules.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
