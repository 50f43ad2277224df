"""FHIR XML into FHIR JSON, driven by fhirclient's models: a model's elementProperties() says, for
each element, its type (a primitive's JSON type, a complex type, a resource) and whether it
repeats. The JSON then goes through the same strict fhirclient parsing as a JSON request, which
names anything wrong by its path, so values that do not fit their type are passed on as written.

No DTD is read: a DOCTYPE or ENTITY declaration is refused before it is parsed, so neither
external entities nor entity expansion can be aimed at the server."""
from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from fhirclient.models.element import Element
from fhirclient.models.fhirabstractbase import FHIRAbstractBase
from fhirclient.models.fhirabstractresource import FHIRAbstractResource
from fhirclient.models.fhirelementfactory import FHIRElementFactory

FHIR = "http://hl7.org/fhir"
XHTML = "http://www.w3.org/1999/xhtml"
# Resources nest a few dozen levels at most; deeper is an attack on the converter's recursion.
MAX_DEPTH = 100
_INTEGER = re.compile(r"-?[0-9]{1,10}")
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?")


class XmlRefused(ValueError):
    """Why XML cannot be read: a problem code (invalid_xml, xml_declarations) and where it is."""

    def __init__(self, code: str, where: str):
        super().__init__(f"{where}: {code}")
        self.code = code
        self.where = where


def resource_json(data: bytes) -> dict:
    """The FHIR JSON of the resource a FHIR XML document holds."""
    root = _parse(data)
    namespace, name = _split(root.tag)
    model = _resource_model(name) if namespace == FHIR else None
    if model is None:
        raise XmlRefused("invalid_xml", name)
    return {"resourceType": name, **_object(root, type(model), name, 0)}


def _parse(data: bytes) -> ET.Element:
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse_declarations
    parser.StartElementHandler = lambda name, attributes: builder.start(
        _clark(name), {_clark(key): value for key, value in attributes.items()})
    parser.EndElementHandler = lambda name: builder.end(_clark(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise XmlRefused("invalid_xml", "") from None
    return builder.close()


def _refuse_declarations(*_arguments) -> None:
    raise XmlRefused("xml_declarations", "")


def _clark(name: str) -> str:
    """expat's "namespace}name" as ElementTree's "{namespace}name"."""
    return "{" + name if "}" in name else name


def _split(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return None, tag


@functools.cache
def _resource_model(name: str) -> FHIRAbstractResource | None:
    made = FHIRElementFactory.instantiate(name, None)
    return made if isinstance(made, FHIRAbstractResource) else None


@functools.cache
def _properties(model: type) -> dict[str, tuple[type, bool]]:
    return {json_name: (kind, is_list) for _, json_name, kind, is_list, _, _ in model().elementProperties()}


def _object(element: ET.Element, model: type, path: str, depth: int) -> dict:
    if depth > MAX_DEPTH or (element.text or "").strip():
        raise XmlRefused("invalid_xml", path)
    properties = _properties(model)
    # `id`, and an extension's `url`; the parser names anything else. FHIR has no attributes in a
    # namespace: those are for other readers (xsi:schemaLocation).
    found = {key: value for key, value in element.attrib.items() if not key.startswith("{")}
    counts: dict[str, int] = {}
    for child in element:
        if (child.tail or "").strip():
            raise XmlRefused("invalid_xml", path)
        namespace, name = _split(child.tag)
        kind, is_list = properties.get(name, (None, False))
        where = f"{path}.{name}" + (f"[{counts.get(name, 0)}]" if is_list else "")
        counts[name] = counts.get(name, 0) + 1
        side = None
        if namespace == XHTML and name == "div":
            value = _xhtml(child, where)
        elif namespace != FHIR:
            raise XmlRefused("invalid_xml", where)
        elif kind is None:
            value = child.get("value", {})  # not an element of this type: the parser says so
        elif issubclass(kind, FHIRAbstractResource):
            value = _resource(child, where, depth)
        elif issubclass(kind, FHIRAbstractBase):
            value = _object(child, kind, where, depth + 1)
        else:
            value = _primitive(child.get("value"), kind)
            side = {key: v for key, v in _object(child, Element, where, depth + 1).items() if key != "value"}
        _add(found, name, value, side or None, is_list)
    return found


def _resource(element: ET.Element, path: str, depth: int) -> dict:
    """A resource inside an element (an entry's `resource`, `contained`): its one child names the type."""
    inner = list(element)
    if len(inner) != 1:
        raise XmlRefused("invalid_xml", path)
    namespace, name = _split(inner[0].tag)
    model = _resource_model(name) if namespace == FHIR else None
    if model is None:
        return {"resourceType": name}  # a type fhirclient does not know: refused by what reads it
    return {"resourceType": name, **_object(inner[0], type(model), path, depth + 1)}


def _xhtml(element: ET.Element, path: str) -> str:
    """Narrative: the XHTML itself, as FHIR JSON carries it (XHTML is all a narrative may hold)."""
    for inner in element.iter():
        namespace, name = _split(inner.tag)
        if namespace != XHTML:
            raise XmlRefused("invalid_xml", path)
        inner.tag = name
    element.attrib = {"xmlns": XHTML, **element.attrib}
    element.tail = None
    return ET.tostring(element, encoding="unicode")


def _primitive(text: str | None, kind: type):
    if text is None:
        return None
    if kind is bool:
        return {"true": True, "false": False}.get(text, text)
    if kind is int:
        return int(text) if _INTEGER.fullmatch(text) else text
    if kind is float:
        return float(text) if _DECIMAL.fullmatch(text) else text
    return text


def _add(found: dict, name: str, value, side: dict | None, is_list: bool) -> None:
    """Add an element's value, and a primitive's id and extensions as JSON's `_name` beside it
    (a repeating primitive's `_name` is a list in step with its values)."""
    if value is None and side is None:
        return
    if is_list:
        values = found.setdefault(name, [])
        values.append(value)
        if side is not None or f"_{name}" in found:
            sides = found.setdefault(f"_{name}", [None] * (len(values) - 1))
            sides.append(side)
        return
    if name in found:  # twice, where once is allowed: as a list, which the parser refuses
        earlier = found[name]
        found[name] = [*(earlier if isinstance(earlier, list) else [earlier]), value]
    elif value is not None:
        found[name] = value
    if side is not None:
        found[f"_{name}"] = side
