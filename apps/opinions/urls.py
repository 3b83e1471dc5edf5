from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("opinions/", views.opinion_list, name="list"),
    path("opinions/import/", views.ledger_import, name="import"),
    path("opinions/import/template.xlsx", views.import_template, name="import_template"),
    path("opinions/new/", views.new, name="new"),
    path("opinions/stats/", views.stats, name="stats"),
    path("opinions/<int:pk>/", views.detail, name="detail"),
    path("opinions/<int:pk>/act/<str:key>/", views.act, name="act"),
    path("opinions/<int:pk>/attach/", views.attach, name="attach"),
    path("opinions/<int:pk>/files/<int:att>/", views.attachment, name="attachment"),
    path("reception-days/", views.reception_list, name="reception_list"),
    path("reception-days/plan/<int:station>/", views.reception_plan, name="reception_plan"),
    path("reception-days/<int:pk>/", views.reception_day, name="reception_day"),
    # Public pages: no login. The QR code printed at a station leads to public_new.
    path("o/new/", views.public_new, name="public_new"),
    path("o/thanks/", views.public_thanks, name="public_thanks"),
    path("o/track/", views.track, name="track"),
    path("o/track/<str:code>/files/<int:att>/", views.public_attachment, name="public_attachment"),
    path("o/qr/station/<int:pk>.svg", views.station_qr, name="station_qr"),
]
