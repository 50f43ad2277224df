"""Reading PDFs back as a person (or a screen reader) would: the text of each page, and the size
most of the letters are printed in."""
from __future__ import annotations

import re
from collections import Counter
from io import BytesIO

from pypdf import PdfReader


def read_pdf(response) -> PdfReader:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return PdfReader(BytesIO(response.data))


def pages_of(reader: PdfReader) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def pdf_text(reader: PdfReader) -> str:
    return " ".join(pages_of(reader))


def body_font_size(reader: PdfReader) -> float:
    """The size (pt) most of page 1's letters are printed in."""
    sizes = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[round(size * tm[0] * cm[0], 1)] += len(text.strip())

    reader.pages[0].extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]
