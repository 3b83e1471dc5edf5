from django.urls import path

from . import views, views_template

app_name = "yearplan"

urlpatterns = [
    path("", views.items, name="list"),
    path("month/", views.month, name="month"),
    path("generate/", views.generate, name="generate"),
    path("new/", views.new, name="new"),
    path("compliance/", views.compliance, name="compliance"),
    path("feed/", views.feed, name="feed"),
    path("templates/", views_template.templates, name="templates"),
    path("templates/<int:calendar_template_id>/", views_template.template, name="template"),
    path(
        "templates/<int:calendar_template_id>/lines/<int:template_line_id>/",
        views_template.template_line,
        name="template_line",
    ),
    path("<int:plan_item_id>/", views.item, name="item"),
    path("<int:plan_item_id>/do/<str:key>/", views.act, name="act"),
]
