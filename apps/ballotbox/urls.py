from django.urls import path

from . import views

app_name = "ballotbox"
urlpatterns = [
    path("ballotbox/", views.boxes, name="boxes"),
    path("ballotbox/desk/", views.desk, name="desk"),
    path("ballotbox/<int:box_id>/", views.box, name="verify"),
    path("ballotbox/<int:box_id>/teller/", views.teller, name="teller"),
    path("ballotbox/<int:box_id>/act/<str:key>/", views.act, name="act"),
]
