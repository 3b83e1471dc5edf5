from django.shortcuts import render

from .errors import DomainError, collect_refusals, record_refusal, release_refusals


class DomainErrorPageMiddleware:
    """A domain error that escapes a page view becomes a Chinese error page with the right status,
    never a 500. (The API has its own handler that answers JSON.) A refusal it carries is written to the
    audit log here, after the view's transaction has rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        record_refusal(exc)
        if isinstance(exc, DomainError) and not request.path.startswith("/api/"):
            return render(request, "error.html", {"error": exc}, status=exc.status)
        return None


class RefusalsMiddleware:
    """Writes, at the end of the request, each refusal whose exception a view caught and answered itself
    (a message beside the form, Django's own 403/404 page), so that none is lost; written ones are skipped."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        held, token = collect_refusals()
        try:
            return self.get_response(request)
        finally:
            release_refusals(held, token)


class ChineseFirstMiddleware:
    """Pages open in Chinese whatever the browser's own language; English is a choice made with the
    language switch (its cookie). Township offices often run browsers set to English by an installer, and
    a half-English page is worse than a Chinese one. API clients may still ask with Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
