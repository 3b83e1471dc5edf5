from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("tables/<int:table_id>/", views.table, name="table"),
    path("tables/<int:table_id>/do/<str:key>/", views.table_act, name="table_act"),
    path("tables/<int:table_id>/aspects/", views.add_aspect, name="add_aspect"),
    path("tables/<int:table_id>/indicators/", views.add_indicator, name="add_indicator"),
    path("tables/<int:table_id>/ranking/", views.ranking, name="ranking"),
    path("tables/<int:table_id>/advanced/", views.advanced, name="advanced"),
    path("tables/<int:table_id>/results.docx", views.results_word, name="results_docx"),
    path("indicators/<int:indicator_id>/", views.indicator, name="indicator"),
    path("indicators/<int:indicator_id>/delete/", views.delete_indicator, name="delete_indicator"),
    path("towns/<int:assessment_id>/", views.town, name="town"),
    path("towns/<int:assessment_id>/records/", views.records, name="records"),
    path("towns/<int:assessment_id>/scores/", views.add_score, name="add_score"),
    path("scores/<int:score_id>/", views.score, name="score"),
    path("scores/<int:score_id>/do/<str:key>/", views.score_act, name="score_act"),
    path("scores/<int:score_id>/files/", views.score_upload, name="score_upload"),
    path("scores/<int:score_id>/files/<int:att>/", views.score_file, name="score_file"),
]
