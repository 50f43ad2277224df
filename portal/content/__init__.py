"""Pathway content: definitions and texts from `content/`, validated when loaded."""
from .library import LANGUAGES, ContentError, Library, Pathway, load_library

__all__ = ["LANGUAGES", "ContentError", "Library", "Pathway", "load_library"]
