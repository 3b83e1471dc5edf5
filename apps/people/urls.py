from django.urls import path

from . import import_views, views

app_name = "people"
urlpatterns = [
    path("deputies/", views.deputy_list, name="deputy_list"),
    path("deputies/<int:pk>/", views.deputy_detail, name="deputy_detail"),
    path("deputies/<int:pk>/edit/", views.deputy_edit, name="deputy_edit"),
    path("d/<uuid:code>/", views.public_card, name="public_card"),
    path("d/<uuid:code>/qr.svg", views.public_card_qr, name="public_card_qr"),
    path("quota/", views.quota, name="quota"),
    path("import/", import_views.import_page, name="import"),
    path("import/template/<str:kind>.xlsx", import_views.import_template, name="import_template"),
]
