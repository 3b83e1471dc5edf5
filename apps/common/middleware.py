from django.shortcuts import render

from .errors import DomainError


class DomainErrorPageMiddleware:
    """A domain error that escapes a page view becomes a Chinese error page with the right status,
    never a 500. (The API has its own handler that answers JSON.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if isinstance(exc, DomainError) and not request.path.startswith("/api/"):
            return render(request, "error.html", {"error": exc}, status=exc.status)
        return None


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
