from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/new/", views.new, name="new"),
    path("meetings/<int:pk>/", views.detail, name="detail"),
    path("meetings/<int:pk>/do/<str:action>/", views.act, name="act"),
    path("meetings/<int:pk>/chair/", views.chair, name="chair"),
    path("meetings/<int:pk>/hall/", views.hall, name="hall"),
    path("meetings/<int:pk>/checkin-qr.svg", views.checkin_qr, name="checkin_qr"),
    path("meetings/<int:pk>/checkin/", views.checkin_landing, name="checkin"),
    path("meetings/<int:pk>/my/", views.my, name="my"),
    path("meetings/<int:pk>/my/checkin/", views.my_checkin, name="my_checkin"),
    path("meetings/<int:pk>/my/leave/", views.my_leave, name="my_leave"),
    path("meetings/<int:pk>/my/ballot/<int:vote_id>/", views.my_ballot, name="my_ballot"),
    path("meetings/<int:pk>/documents/<int:att_id>/", views.document, name="document"),
    path("meetings/<int:pk>/minutes.docx", views.minutes, name="minutes"),
    path("meetings/<int:pk>/resolutions.docx", views.resolutions, name="resolutions"),
    path("meetings/<int:pk>/notice.docx", views.notice, name="notice"),
]
