from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("archive/me/", views.mine, name="mine"),
    path("archive/commitments/", views.commitments, name="commitments"),
    path("archive/commitments/<int:pk>/", views.commitment, name="commitment"),
    path("archive/report-back/", views.meetings, name="meetings"),
    path("archive/report-back/pending/", views.not_reported, name="not_reported"),
    path("archive/report-back/<int:pk>/", views.meeting, name="meeting"),
    path("archive/report-back/<int:pk>/qr.svg", views.meeting_qr, name="meeting_qr"),
    path("archive/report-back/<int:pk>/hall/", views.hall, name="hall"),
    path("archive/report-back/reports/<int:pk>/", views.speaker_report, name="speaker_report"),
    path("archive/deputies/<int:pk>/", views.deputy_archive, name="deputy"),
    path("archive/deputies/<int:pk>/report-<int:year>.docx", views.annual, name="annual"),
    path("archive/registers/", views.register_index, name="registers"),
    path("archive/registers/<str:key>/", views.register, name="register"),
    path("archive/behind/", views.behind, name="behind"),
    # Public: no login. The voters' rating page behind the meeting's QR code.
    path("archive/rate/<str:token>/", views.rate, name="rate"),
]
