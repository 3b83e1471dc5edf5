from django.urls import path

from . import views

app_name = "localrules"
urlpatterns = [
    path("local-rules/", views.rule_list, name="rule_list"),
    path("local-rules/<str:key>/", views.rule_edit, name="rule_edit"),
]
