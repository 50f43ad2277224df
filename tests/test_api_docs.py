"""The examples in docs/api.md are real: each documented request gives the documented response."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def documented_examples():
    examples = DOC.read_text(encoding="utf-8").split("## Examples", 1)[1]
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)\n```", examples, re.S)]
    return list(zip(blocks[0::2], blocks[1::2], strict=True))


def test_there_is_one_example_per_pathway_shape():
    shapes = {response["shape"] for _, response in documented_examples()}
    assert shapes == {"linear", "evaluation_loop", "home_cycle"}


@pytest.mark.no_database
def test_each_documented_request_gives_the_documented_response(read_only_client):
    for request, response in documented_examples():
        assert read_only_client.post("/api/v1/timeline", json=request).get_json() == response
