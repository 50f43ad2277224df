"""Fixtures: real pathway definitions, built from content/<id>/pathway.yaml."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from portal.content.library import _definition
from portal.content.schema import PathwaySpec
from portal.timeline.model import PathwayDefinition

CONTENT = Path(__file__).parents[2] / "content"


def load_definition(pathway_id: str) -> PathwayDefinition:
    raw = yaml.safe_load((CONTENT / pathway_id / "pathway.yaml").read_text(encoding="utf-8"))
    return _definition(PathwaySpec.model_validate(raw))


@pytest.fixture(scope="session")
def definition_of():
    """Any pathway's definition by id, each built once."""
    return functools.cache(load_definition)


@pytest.fixture(scope="session")
def breast() -> PathwayDefinition:
    return load_definition("cancer-breast")


@pytest.fixture(scope="session")
def phr() -> PathwayDefinition:
    return load_definition("phr-adults")


@pytest.fixture(scope="session")
def eating_disorders() -> PathwayDefinition:
    return load_definition("phr-eating-disorders-children")


@pytest.fixture(scope="session")
def tsb() -> PathwayDefinition:
    return load_definition("phr-tsb")


@pytest.fixture(scope="session")
def pregnant() -> PathwayDefinition:
    return load_definition("phr-pregnant-substance-use")


@pytest.fixture(scope="session")
def hph() -> PathwayDefinition:
    return load_definition("hph")


@pytest.fixture(scope="session")
def cancer_home() -> PathwayDefinition:
    return load_definition("cancer-home-pathway")
