from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules, name="rules"),
    path("rules.docx", views.rules_docx, name="rules_docx"),
    path("rules/documents/", views.document_add, name="document_add"),
    path("rules/documents/<int:rule_document_id>/", views.document, name="document"),
    path("rules/documents/<int:rule_document_id>/remove/", views.document_remove, name="document_remove"),
    path("<str:procedure_key>/", views.detail, name="detail"),
    path("<str:procedure_key>.docx", views.detail_docx, name="docx"),
    path("<str:procedure_key>.pdf", views.detail_pdf, name="pdf"),
]
