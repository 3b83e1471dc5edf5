from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("<int:evaluation_id>/", views.detail, name="detail"),
    path("<int:evaluation_id>/do/<str:key>/", views.act, name="act"),
    path("<int:evaluation_id>/opinion/<int:unit_id>/", views.opinion, name="opinion"),
    path("<int:evaluation_id>/files/", views.upload, name="upload"),
    path("<int:evaluation_id>/files/<int:att>/", views.file, name="file"),
    path("<int:evaluation_id>/opinions.docx", views.opinions_word, name="opinions_docx"),
    path("<int:evaluation_id>/announcement.docx", views.announcement_word, name="announcement_docx"),
    path("<int:evaluation_id>/survey/", views.create_survey, name="create_survey"),
    path("surveys/<int:evaluation_survey_id>/do/<str:key>/", views.survey_act, name="survey_act"),
    path("surveys/<int:evaluation_survey_id>/rate/", views.rate, name="rate"),
]
