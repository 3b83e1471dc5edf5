from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("p/search/", views.find, name="search"),
    path("p/regions/<str:region>/", views.region, name="region"),
    path("p/regions/<str:region>/deputies/", views.deputies, name="deputies"),
    path("p/regions/<str:region>/suggestions/", views.suggestions, name="suggestions"),
    path("p/regions/<str:region>/rectifications/", views.rectifications, name="rectifications"),
    path("p/regions/<str:region>/supervision/", views.supervision, name="supervision"),
    path("p/regions/<str:region>/evaluations/", views.evaluations, name="evaluations"),
    path("p/regions/<str:region>/report-back/", views.report_back, name="report_back"),
    path("p/stations/<int:pk>/", views.station, name="station"),
    path("p/stations/<int:pk>/qr.svg", views.station_qr, name="station_qr"),
    path("p/suggestions/<int:pk>/", views.suggestion, name="suggestion"),
    path("p/d/<uuid:code>/photo", views.photo, name="photo"),
]
