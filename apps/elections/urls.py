from django.urls import path

from . import views, views_after, views_meet, views_paper

app_name = "elections"
urlpatterns = [
    path("elections/", views.post_list, name="list"),
    path("elections/posts/<int:pk>/", views.post_detail, name="post"),
    path("elections/posts/<int:pk>/candidates.docx", views.candidates_list, name="candidates_docx"),
    path("elections/posts/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("elections/posts/<int:pk>/withdraw/<int:candidate_id>/", views.withdraw, name="withdraw"),
    path("elections/posts/<int:pk>/start/", views.start, name="start"),
    path("elections/posts/<int:pk>/meet/", views_meet.candidates, name="meet"),
    path("elections/posts/<int:pk>/meet/plan/", views_meet.plan, name="meet_plan"),
    path("elections/candidates/<int:candidate_id>/statement/", views_meet.statement, name="statement"),
    path("elections/candidates/<int:candidate_id>/photo", views_meet.photo, name="candidate_photo"),
    path("elections/rounds/<int:pk>/", views.round_detail, name="round"),
    path("elections/rounds/<int:pk>/do/<str:action>/", views.round_action, name="round_action"),
    path("elections/rounds/<int:pk>/paper/<str:action>/", views_paper.paper_action, name="paper_action"),
    path("elections/rounds/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("elections/rounds/<int:pk>/tally/", views.tally, name="tally"),
    # After the election (issue 21 part 4).
    path("elections/rounds/<int:pk>/tally.docx", views_after.tally_word, name="tally_docx"),
    path("elections/posts/<int:pk>/elected/", views_after.elected, name="elected"),
    path("elections/outcomes/<int:outcome_id>/oath/", views_after.oath, name="oath"),
    path("elections/outcomes/<int:outcome_id>/appointment.docx", views_after.appointment, name="appointment"),
    path("elections/meetings/<int:pk>/announcement.docx", views_after.announcement, name="announcement"),
]
