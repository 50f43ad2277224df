"""HTML to PDF with WeasyPrint, and many PDFs into one with pypdf.

Every PDF is tagged (PDF/UA-1: a structure tree in DOM order, the document's title and language
from <title> and <html lang>) and embeds its fonts. Nothing is fetched while rendering: the
stylesheet is read once from static/, the QR code is inline, and any other address is refused."""
from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from io import BytesIO
from typing import BinaryIO

import segno
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from ..config import data_folder

STYLESHEET = data_folder("static") / "print.css"
PDF_VARIANT = "pdf/ua-1"


@functools.cache
def _fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols={"data"})


_per_thread = threading.local()


def _fonts_and_style() -> tuple[FontConfiguration, CSS]:
    """Made once per thread and kept: loading the fonts and parsing the stylesheet cost more than
    a small document, and Pango's font map is not to be shared between threads."""
    if not hasattr(_per_thread, "fonts_and_style"):
        fonts = FontConfiguration()
        _per_thread.fonts_and_style = fonts, CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=_fetcher())
    return _per_thread.fonts_and_style


def html_to_pdf(html: str, base_url: str) -> bytes:
    """`base_url` makes the document's links absolute, so they work from the printed file."""
    fonts, style = _fonts_and_style()
    return HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).write_pdf(
        stylesheets=[style], font_config=fonts, pdf_variant=PDF_VARIANT)


@functools.lru_cache(maxsize=256)
def qr_data_uri(url: str) -> str:
    """A QR code for `url` as an SVG data: URI (crisp at any print size)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def merge_pdfs(documents: Iterable[tuple[str, bytes]], out: BinaryIO) -> int:
    """Write the documents (title, PDF) one after another into `out`, each with a bookmark.
    Each document is read and let go of in turn, so only the merged pages stay in memory. A
    document with an odd number of pages is followed by a blank one: printed on both sides, the
    next person's pages never start on the back of this person's last page. Returns the count."""
    writer = PdfWriter()
    count = 0
    for title, pdf in documents:
        reader = PdfReader(BytesIO(pdf))
        writer.append(reader, outline_item=title)
        if len(reader.pages) % 2:
            writer.add_blank_page()
        # The writer keeps a reference to each reader it merged (to patch links when it writes);
        # dropping the objects the reader parsed (a cache, re-read on demand) keeps just the
        # small PDF itself, instead of about 1 MB per patient.
        writer.reset_translation(reader)
        reader.resolved_objects.clear()
        count += 1
    writer.write(out)
    return count
