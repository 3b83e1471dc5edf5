from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("", views.items, name="list"),
    path("new/", views.new, name="new"),
    path("<int:rectification_id>/", views.item, name="item"),
    path("<int:rectification_id>/do/<str:key>/", views.act, name="act"),
    path("<int:rectification_id>/files/", views.upload, name="upload"),
    path("<int:rectification_id>/files/<int:att>/", views.file, name="file"),
    path("<int:rectification_id>/notice.docx", views.notice, name="notice"),
]
