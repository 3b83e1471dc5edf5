"""The page plumbing every app shares: the pager, a service's errors on a form, file downloads."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory

from apps.common.downloads import DOCX_MIME, attach, docx_response
from apps.common.errors import ValidationFailed
from apps.common.pages import error_lines, flash_error, form_errors, paginate_page, query_without


def test_a_page_of_a_list_keeps_the_filters_but_not_the_page_or_export():
    request = RequestFactory().get("/x/", {"year": "2026", "page": "2", "export": "xlsx", "q": "路灯"})
    page, query = paginate_page(request, list(range(120)), per_page=50)
    assert page.number == 2 and page.object_list[0] == 50
    assert query == "year=2026&q=%E8%B7%AF%E7%81%AF"


def test_a_page_past_the_end_shows_the_last_and_nonsense_the_first():
    assert paginate_page(RequestFactory().get("/", {"page": "99"}), list(range(120)))[0].number == 3
    assert paginate_page(RequestFactory().get("/", {"page": "x"}), list(range(120)))[0].number == 1


def test_query_without_takes_a_plain_dict_too():
    assert query_without({"year": 2026, "page": 3, "town": ""}, "page") == "year=2026"


def test_the_pager_links_keep_the_query_and_offer_the_export_unless_told_not_to():
    request = RequestFactory().get("/", {"page": "2", "year": "2026"})
    page, query = paginate_page(request, list(range(120)))
    html = render_to_string("_pager.html", {"page": page, "query": query})
    assert "?year=2026&amp;page=1" in html and "?year=2026&amp;page=3" in html and "export=xlsx" in html
    plain = render_to_string("_pager.html", {"page": page, "query": query, "no_export": True})
    assert "export=xlsx" not in plain
    assert render_to_string("_pager.html", {}).strip() == ""


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def test_a_service_error_goes_beside_its_field_or_on_top_of_the_form():
    form = NameForm({"name": "x"})
    form.is_valid()
    exc = ValidationFailed("有误", fields={"full_name": ["姓名太长"], "other": ["别的"]})
    form_errors(form, exc, {"full_name": "name"})
    assert form.errors["name"] == ["姓名太长"] and form.non_field_errors() == ["别的"]
    form = NameForm({"name": "x"})
    form.is_valid()
    form_errors(form, ValidationFailed("请先签到"))
    html = render_to_string("_errors.html", {"form": form})
    assert html.strip() == '<p class="errorlist">请先签到</p>'


def test_the_error_fragment_shows_a_service_error_and_field_messages():
    exc = ValidationFailed("请检查", fields={"title": ["请填写会议名称"]})
    assert 'role="alert">请检查</p>' in render_to_string("_errors.html", {"error": exc})
    html = render_to_string("_field_errors.html", {"errors": exc.fields["title"]})
    assert html.strip() == '<span class="errorlist">请填写会议名称</span>'


def test_a_flashed_error_is_its_message_or_every_field_message_joined():
    request = RequestFactory().post("/")
    request.user, request.session = AnonymousUser(), {}
    request._messages = FallbackStorage(request)
    exc = ValidationFailed("请检查", fields={"a": ["甲"], "b": ["乙"]})
    flash_error(request, exc)
    flash_error(request, exc, joined=True)
    assert [str(m) for m in request._messages] == ["请检查", "甲；乙"]
    assert error_lines(ValidationFailed("只有一句")) == ["只有一句"]


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("report-3-2026.docx", 'attachment; filename="report-3-2026.docx"'),
        ("会议记录.docx", "attachment; filename*=utf-8''%E4%BC%9A%E8%AE%AE%E8%AE%B0%E5%BD%95.docx"),
    ],
)
def test_a_download_is_named_the_same_way_for_ascii_and_chinese_names(name, header):
    response = docx_response(b"PK", name)
    assert response["Content-Type"] == DOCX_MIME and response["Content-Disposition"] == header


def test_attach_can_show_a_file_in_the_browser():
    from django.http import HttpResponse

    assert attach(HttpResponse(), "a.pdf", inline=True)["Content-Disposition"] == 'inline; filename="a.pdf"'
