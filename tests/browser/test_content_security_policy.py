"""The guard of every browser test (conftest.py) sees a Content-Security-Policy violation on a real page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_style_or_handler_on_a_real_page_is_refused_and_reported(
    world, live_server, browser_page, request
):
    page, watch = browser_page, request.node._renda_csp_watch
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("load")
    assert watch.take() == []  # the login page itself: nothing to report
    page.evaluate(
        """() => document.body.insertAdjacentHTML("beforeend",
             '<p id="probe" style="color: rgb(255, 0, 0)">x</p><img src="/no-such-image.png" onerror="1">')"""
    )
    for _ in range(100):
        if len(watch.violations) >= 2:
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(500)  # late reports (the console's copy) come in too
    found = watch.take()  # taken, so that this test itself passes
    assert any("style-src" in v for v in found), found
    assert any("script-src" in v for v in found), found
    assert page.eval_on_selector("#probe", "el => getComputedStyle(el).color") != "rgb(255, 0, 0)"


def test_a_choice_in_the_language_switch_still_sends_its_form_without_inline_script(
    world, live_server, browser_page
):
    """The handler once written as onchange= lives in static/renda/renda.js (data-autosubmit)."""
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.get_attribute("html", "lang") == "en"
