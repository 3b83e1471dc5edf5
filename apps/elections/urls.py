from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("elections/", views.post_list, name="list"),
    path("elections/posts/<int:pk>/", views.post_detail, name="post"),
    path("elections/posts/<int:pk>/candidates.docx", views.candidates_list, name="candidates_docx"),
    path("elections/posts/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("elections/posts/<int:pk>/withdraw/<int:candidate_id>/", views.withdraw, name="withdraw"),
    path("elections/posts/<int:pk>/start/", views.start, name="start"),
    path("elections/rounds/<int:pk>/", views.round_detail, name="round"),
    path("elections/rounds/<int:pk>/do/<str:action>/", views.round_action, name="round_action"),
    path("elections/rounds/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("elections/rounds/<int:pk>/tally/", views.tally, name="tally"),
]
