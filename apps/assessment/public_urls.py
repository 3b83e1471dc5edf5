"""The public page of the assessment's published results, beside the public site's region pages."""

from django.urls import path

from . import views

app_name = "assessment_public"

urlpatterns = [
    path("p/regions/<str:region>/assessment/", views.public_results, name="results"),
]
