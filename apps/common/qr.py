"""QR codes (代表码, station codes) as SVG images."""

import io

import segno
from django.http import HttpResponse


def qr_svg_response(url: str, *, cache_seconds: int = 86400) -> HttpResponse:
    out = io.BytesIO()
    # A standalone file (not svg_inline): an <img> shows an SVG only with its namespace declared.
    segno.make(url, error="m").save(out, kind="svg", scale=6, border=2, light="#fff", xmldecl=False)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={cache_seconds}"
    return response


def qr_svg_inline(url: str) -> str:
    """The QR code as an <svg> element to put in a page (a printed sign-in slip); no style attribute, so
    the Content-Security-Policy lets it be."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, light="#fff")
