"""The app's URLs, with `/bench/bare-deputies` in front: plain Django, no authentication, no permission layer.

The bare view runs the same two queries as the town-filtered deputies list (one page of 50, one COUNT) with
`.values()`, and answers with `JsonResponse`. What the API costs on top of it is the bearer token lookup, the
permission layer (grants, region lookup), django-ninja's validation and pydantic serialisation.
It is placed first so that the app's own URLs resolve exactly as in production.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from apps.people.models import Deputy
from renda.urls import urlpatterns as renda_urlpatterns

FIELDS = (
    "id",
    "name",
    "gender",
    "top_level",
    "status",
    "region__code",
    "region__name",
    "station_id",
    "station__name",
    "occupation",
    "workplace",
    "phone",
    "public_code",
)


def bare_deputies(request: HttpRequest) -> JsonResponse:
    qs = Deputy.objects.filter(town_id=int(request.GET["town"])).order_by("name_pinyin", "id")
    items = list(qs.values(*FIELDS)[:50])
    return JsonResponse({"items": items, "count": qs.count(), "page": 1, "page_size": 50})


urlpatterns = [path("bench/bare-deputies", bare_deputies), *renda_urlpatterns]
