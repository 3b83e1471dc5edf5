from django.urls import path

from . import views

app_name = "yearplan"

urlpatterns = [
    path("", views.items, name="list"),
    path("month/", views.month, name="month"),
    path("generate/", views.generate, name="generate"),
    path("new/", views.new, name="new"),
    path("compliance/", views.compliance, name="compliance"),
    path("feed/", views.feed, name="feed"),
    path("<int:plan_item_id>/", views.item, name="item"),
    path("<int:plan_item_id>/do/<str:key>/", views.act, name="act"),
]
