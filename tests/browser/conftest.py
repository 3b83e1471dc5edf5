import os
import shutil

import pytest

CHROMIUM = os.environ.get("RENDA_CHROMIUM", "/usr/bin/chromium")

# Reports every Content-Security-Policy violation of a page to the test (`__rendaCspViolation`, exposed by
# `CspWatch`). Playwright runs this before the page's own scripts, and the page's policy does not apply to it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : "";
  window.__rendaCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}${where}` +
    ` on ${document.location.pathname} ${e.sample ? JSON.stringify(e.sample) : ""}`);
}, true);
"""


class CspWatch:
    """Collects the Content-Security-Policy violations of every page of every context the test opens: the
    ones the page reports (`securitypolicyviolation`) and the ones chromium writes to the console."""

    def __init__(self):
        self.violations: list[str] = []

    def watch(self, context):
        context.expose_function("__rendaCspViolation", self._reported)
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("page", lambda page: page.on("console", self._console))
        return context

    def _reported(self, text):
        self.violations.append(text)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def take(self) -> list[str]:
        found, self.violations[:] = list(self.violations), []
        return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """A browser test fails on any Content-Security-Policy violation, even one that breaks nothing visible."""
    outcome = yield
    watch = getattr(item, "_renda_csp_watch", None)
    if watch is None or outcome.excinfo is not None:
        return
    violations = watch.take()
    if violations:
        outcome.force_exception(
            AssertionError("Content-Security-Policy violations:\n" + "\n".join(sorted(set(violations))))
        )


@pytest.fixture
def browser_page(request):
    """A headless Debian chromium page, driven by Playwright; never a downloaded browser. Every context made
    from its browser (`browser_page.context.browser.new_context()`) is watched for CSP violations too."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (make browser-deps installs Debian's chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    watch = CspWatch()
    request.node._renda_csp_watch = watch
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
        new_context = browser.new_context
        browser.new_context = lambda *args, **kwargs: watch.watch(new_context(*args, **kwargs))
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})  # a phone
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
