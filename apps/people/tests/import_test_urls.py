"""URLs for the import tests: the project's pages (for the navigation in base.html), the import views under
the names the project uses, and a NinjaAPI of its own around a fresh import router."""

from django.urls import include, path
from ninja import NinjaAPI

from apps.common.errors import DomainError
from apps.people import import_api, import_views
from apps.people import urls as people_urls
from renda import urls as project_urls

api = NinjaAPI(urls_namespace="import_test")
api.add_router("/imports", import_api.build_router())


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


people_patterns = [
    path("import/", import_views.import_page, name="import"),
    path("import/template/<str:kind>.xlsx", import_views.import_template, name="import_template"),
    *people_urls.urlpatterns,
]

urlpatterns = [
    path("", include((people_patterns, "people"))),
    path("api/v1/", api.urls),
    *(p for p in project_urls.urlpatterns if getattr(p, "namespace", None) not in ("people", "api")),
]
