from django.urls import path

from . import views, views_officials

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
    path("rate/<str:token>/", views.public_rate, name="public_rate"),
    path("vice-mayors/new/", views_officials.create, name="official_create"),
    path("vice-mayors/<int:vice_mayor_rating_id>/", views_officials.detail, name="official_rating"),
    path("vice-mayors/<int:vice_mayor_rating_id>/do/<str:key>/", views_officials.act, name="official_act"),
    path("vice-mayors/<int:vice_mayor_rating_id>/rate/", views_officials.rate, name="official_rate"),
    path("vice-mayors/<int:vice_mayor_rating_id>/files/", views_officials.upload, name="official_upload"),
    path(
        "vice-mayors/<int:vice_mayor_rating_id>/files/<int:att>/", views_officials.file, name="official_file"
    ),
    path("vice-mayors/<int:vice_mayor_rating_id>/hall/", views_officials.hall, name="official_hall"),
    path(
        "vice-mayors/<int:vice_mayor_rating_id>/record.docx", views_officials.record, name="official_record"
    ),
]
