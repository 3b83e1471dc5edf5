import os
import shutil

import pytest

CHROMIUM = os.environ.get("RENDA_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def browser_page():
    """A headless Debian chromium page, driven by Playwright; never a downloaded browser."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (make browser-deps installs Debian's chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})  # a phone
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
