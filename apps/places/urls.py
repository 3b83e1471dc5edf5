from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("stations/", views.station_list, name="station_list"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("units/", views.unit_list, name="unit_list"),
]
