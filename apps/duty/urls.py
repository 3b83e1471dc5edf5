from django.urls import path

from . import views

app_name = "duty"
urlpatterns = [
    path("duty/", views.mine, name="mine"),
    path("duty/new/", views.new, name="new"),
    path("duty/records/<int:pk>/", views.detail, name="detail"),
    path("duty/records/<int:pk>/edit/", views.edit, name="edit"),
    path("duty/records/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("duty/records/<int:pk>/review/", views.review, name="review_one"),
    path("duty/records/<int:pk>/files/<int:att>/", views.attachment, name="attachment"),
    path("duty/review/", views.review_queue, name="review"),
    path("duty/review/approve/", views.approve_many, name="approve_many"),
    path("duty/scores/", views.scores, name="scores"),
    path("duty/scores/publish/", views.publish, name="publish"),
    path("duty/table/<int:year>/", views.table, name="table"),
    path("duty/plate/", views.plate, name="plate"),
    path("duty/five-good/", views.five_good, name="five_good"),
]
