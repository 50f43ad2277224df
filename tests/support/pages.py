"""Reading pages as a person or a browser does, with an HTML parser (lxml): the words on a page,
its forms and the values a browser would send from them, error messages, links, ticked boxes."""
from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
from lxml.html import FormElement, HtmlElement
from werkzeug.datastructures import MultiDict


def parse(page) -> HtmlElement:
    """A page (a test client's response, or its HTML) as a document tree; an element of one as it is."""
    if isinstance(page, HtmlElement):
        return page
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    return lxml.html.document_fromstring(html)


def text_of(page) -> str:
    """The words of a page (or of an element of one), in order, with single spaces: every element
    starts and ends a word, except links, which leave no gap where they were (a glossary link
    inside a word or before a full stop reads as the plain text would)."""
    return _words(parse(page))


def plain(html: str) -> str:
    """The words of a piece of HTML (a text from content/, say), as text_of() shows them on a page."""
    return _words(lxml.html.fragment_fromstring(str(html), create_parent="div"))


def _words(root: HtmlElement) -> str:
    parts: list[str] = []

    def visit(element):
        if isinstance(element.tag, str):
            gap = "" if element.tag == "a" else " "
            parts.extend((gap, element.text or ""))
            for child in element:
                visit(child)
            parts.append(gap)
        else:  # a comment: no words of its own
            parts.append(" ")
        parts.append(element.tail or "")

    visit(root)
    return " ".join("".join(parts).split())


def find(page, css: str) -> list[HtmlElement]:
    """The elements of a page that a CSS selector picks."""
    return parse(page).cssselect(css)


def texts(page, css: str) -> list[str]:
    """The words of each element that a CSS selector picks."""
    return [_words(element) for element in find(page, css)]


def form(page, action: str | None = None) -> FormElement:
    """A form in the page's main content: the first one sent to `action` (a path), or by default
    to the page itself (as a form with no action is)."""
    here = page.request.path if hasattr(page, "request") else ""
    wanted = urlsplit(action).path if action else here
    forms = find(page, "main form")
    found = [f for f in forms if urlsplit(f.get("action") or here).path == wanted]
    assert found, f"no form for {wanted or 'the page itself'}; the forms go to {[f.get('action') for f in forms]}"
    return found[0]


def form_data(form: FormElement, **fields) -> MultiDict:
    """What a browser sends from `form` once `fields` are filled in: each field as the page shows
    it (ticked boxes, chosen options, hidden values such as the version), then `fields` instead."""
    data = MultiDict(form.form_values())
    for textarea in find(form, "textarea[name]"):
        data.setlist(textarea.name, [_as_sent(textarea)])
    for name, value in fields.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def send(client, page, action: str | None = None, **fields):
    """Fill in and send a form of `page` (see form()), as a person who had the page open would;
    `page` is the response that showed it."""
    chosen = form(page, action)
    target = chosen.get("action") or page.request.full_path.rstrip("?")
    return client.post(target, data=form_data(chosen, **fields))


def submit(client, path: str, action: str | None = None, **fields):
    """Open the page at `path`, fill in `fields` of its form (the one sent to `action`, for the
    page's second form) and send it: the version sent is the one the page was filled in from."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return send(client, page, action, **fields)


def versions(page) -> set[str]:
    """The versions the forms of a page carry (the hidden field each form sends back)."""
    return {field.value for field in find(page, "input[name=version]")}


def version_of(page) -> str:
    """The version the page's forms carry: the one the page was made from."""
    (version,) = versions(page)
    return version


def error_on(page, field: str) -> str:
    """The messages shown under one field of a form."""
    return " ".join(texts(page, f"p.error-message#error-{field}"))


def error_links(page) -> dict[str, str]:
    """The error summary at the top of a form: each link's target (`#field-...`) and its words."""
    return {link.get("href"): _words(link) for link in find(page, ".error-summary a")}


def links(page, css: str = "a") -> list[str]:
    """The addresses of the links a CSS selector picks (every link, by default)."""
    return [link.get("href") for link in find(page, css)]


def field_value(page, css: str) -> str:
    """What a field (input, textarea or select) holds as the page shows it."""
    (field,) = find(page, css)
    return _as_sent(field) if field.tag == "textarea" else field.value


def _as_sent(textarea: HtmlElement) -> str:
    """A textarea's text less the one line break that may open it, which browsers drop (WTForms
    writes one, so that text starting with a line break keeps it)."""
    text = textarea.value
    return text[2:] if text.startswith("\r\n") else text.removeprefix("\n")


def ticked(page, css: str) -> dict[str, bool]:
    """Whether each checkbox or radio button a CSS selector picks is ticked, by its id."""
    return {box.get("id"): box.checked for box in find(page, css)}
