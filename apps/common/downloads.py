"""File downloads: one way to name the file, so Chinese names survive every browser.

The header comes from Django's `content_disposition_header` (RFC 6266: an ASCII `filename` where the name
allows it, else `filename*=utf-8''...`)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attach(response: HttpResponse, filename: str, *, inline: bool = False) -> HttpResponse:
    """Name the response's file: saved as `filename` (or shown in the browser with `inline`)."""
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def file_response(data: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """`data` as a download named `filename`."""
    return attach(HttpResponse(data, content_type=content_type), filename, inline=inline)


def docx_response(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, filename, DOCX_MIME)
