"""The projects on the public site (上墙公示, issue 19 part 7): no login, under /p/projects/."""

from django.urls import path

from . import views_public

app_name = "projects_public"

urlpatterns = [
    path("", views_public.towns, name="index"),
    path("propose/", views_public.propose, name="propose"),
    path("track/", views_public.track, name="track"),
    path("photos/<int:pk>/", views_public.photo, name="photo"),
]
