"""The reference is complete and the sandbox routes every operation in it."""

import json
import re

import pytest

from acdash.sandbox import resources  # noqa: F401  (registers the routes)
from acdash.sandbox.routing import ROUTES, resolve
from scripts import extract_reference
from tests.conformance import shapes


def test_the_reference_details_all_257_operations():
    operations = list(shapes.operations().values())
    assert len(operations) == 257
    assert all(op["detailed"] and op["operationId"] and op["summary"] for op in operations)


def test_every_reference_operation_is_routed():
    unrouted = []
    for method, path in shapes.operations():
        found = resolve(method, re.sub(r"\{\w+\}", "1", path))
        if found is None or same(found[0].template) != same(path.lstrip("/")):
            unrouted.append(f"{method} {path}")
    assert not unrouted, f"{len(unrouted)} operations answer 404: {unrouted}"
    assert len(ROUTES) >= 257


def same(template: str) -> str:
    """A path template whatever its placeholders are named."""
    return re.sub(r"\{\w+\}", "{}", template)


def test_extraction_reproduces_the_reference_exactly():
    sources = [s for s in extract_reference.SOURCES if s.is_dir()]
    if not sources:
        pytest.skip(f"the API reference is not beside this checkout ({extract_reference.SOURCES})")
    extracted = extract_reference.parse(sources[0])
    stored = json.loads(extract_reference.TARGET.read_text())
    assert extracted == stored, "run scripts/extract_reference.py and commit the result"
    assert extract_reference.parse(sources[0]) == extracted  # the same twice
