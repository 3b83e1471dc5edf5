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
