from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("suggestions/", views.suggestion_list, name="list"),
    path("suggestions/import/", views.ledger_import, name="import"),
    path("suggestions/import/template.xlsx", views.import_template, name="import_template"),
    path("suggestions/new/", views.new, name="new"),
    path("suggestions/stats/", views.stats, name="stats"),
    path("suggestions/invitations/", views.invitations, name="invitations"),
    path("suggestions/awards/", views.awards, name="awards"),
    path("suggestions/<int:pk>/", views.detail, name="detail"),
    path("suggestions/<int:pk>/edit/", views.edit, name="edit"),
    path("suggestions/<int:pk>/act/<str:key>/", views.act, name="act"),
    path("suggestions/<int:pk>/sign/", views.sign, name="sign"),
    path("suggestions/<int:pk>/consult/", views.consult, name="consult"),
    path("suggestions/<int:pk>/rate/", views.rate, name="rate"),
    path("suggestions/<int:pk>/cohandling/<int:part>/", views.cohandling, name="cohandling"),
    path("suggestions/<int:pk>/key/", views.key, name="key"),
    path("suggestions/<int:pk>/visit/", views.visit, name="visit"),
    path("suggestions/<int:pk>/publish/", views.publish, name="publish"),
    path("suggestions/<int:pk>/letter.docx", views.letter, name="letter"),
    path("motions/", views.motion_list, name="motion_list"),
    path("motions/new/", views.motion_new, name="motion_new"),
    path("motions/<int:pk>/", views.motion_detail, name="motion"),
    path("motions/<int:pk>/sign/", views.motion_sign, name="motion_sign"),
    path("motions/<int:pk>/act/<str:key>/", views.motion_act, name="motion_act"),
    # Public pages: no login. Published replies, names but never contact details.
    path("s/replies/", views.public_list, name="public_list"),
    path("s/replies/<int:pk>/", views.public_detail, name="public_detail"),
]
