"""Every interface text exists in bokmål and nynorsk, with the same placeholders as the English."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "portal" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_message_is_translated_with_its_placeholders(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: not translated: {ids[0]!r}"
        assert not message.fuzzy, f"{language}: marked fuzzy: {ids[0]!r}"
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(ids[-1])), f"{language}: {ids[0]!r}"


def test_every_message_in_the_code_and_templates_is_in_the_catalogs(tmp_path):
    """A text added without `make extract-messages` would show in English on a Norwegian page."""
    template = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_", "-k", "_l", "-k", "gettext", "-k", "ngettext:1,2", "-o", str(template), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with open(template, "rb") as handle:
        in_code = {message.id for message in read_po(handle) if message.id}
    for language in ("nb", "nn"):
        with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
            catalog = {message.id for message in read_po(handle) if message.id}
        assert not in_code - catalog, f"{language}: missing from the catalog: {sorted(in_code - catalog)}"
