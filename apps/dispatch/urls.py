from django.urls import path

from . import views

app_name = "dispatch"

urlpatterns = [
    path("evaluations/<int:evaluation_id>/", views.send_evaluation, name="send_evaluation"),
    path("activities/<int:activity_id>/", views.send_activity, name="send_activity"),
    path("rectifications/<int:rectification_id>/", views.send_rectification, name="send_rectification"),
    path("<int:dispatch_id>/document", views.document, name="document"),
]
