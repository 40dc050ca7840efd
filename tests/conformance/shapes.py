"""Compare a sandbox response with the reference's example: keys per object and JSON types."""

import json
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parents[2] / "acdash" / "activecampaign" / "reference.json"

# Every (method, path, status) whose reference example a test compared a response with;
# the test session's summary reports the count (see tests/conftest.py).
CHECKED: set[tuple[str, str, int]] = set()

# Debug output the real API sometimes adds under "meta"; not part of the contract.
IGNORED_META_KEYS = {"queryLog", "page_input", "sortable"}


@cache
def operations() -> dict[tuple[str, str], dict]:
    data = json.loads(REFERENCE.read_text())
    return {(op["method"], op["path"]): op for op in data}


def example(method: str, path: str, status: int, name: str | None = None) -> Any:
    """The reference's example response body for ``METHOD path`` and ``status``."""
    op = operations()[(method, path)]
    CHECKED.add((method, path, status))
    for response in op["responses"]:
        if response["status"] == status and (name is None or response["name"] == name):
            if not response["valid"]:
                raise AssertionError(f"{method} {path} {status}: example is not valid JSON")
            return response["json"]
    raise KeyError(f"no {status} example for {method} {path}")


def checked(method: str, path: str, status: int) -> None:
    """Count a comparison made against a hand-repaired copy of the reference's example."""
    assert (method, path) in operations(), f"{method} {path} is not in the reference"
    CHECKED.add((method, path, status))


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _merge(samples: list[Any]) -> dict[str, Any]:
    """Union shape of several example values: their types; for objects, required/allowed keys."""
    shape: dict[str, Any] = {"types": {json_type(s) for s in samples}}
    objects = [s for s in samples if isinstance(s, dict)]
    if objects:
        keys = [set(o) for o in objects]
        shape["required"] = set.intersection(*keys)
        shape["allowed"] = set.union(*keys)
        shape["children"] = {k: _merge([o[k] for o in objects if k in o]) for k in shape["allowed"]}
    arrays = [s for s in samples if isinstance(s, list)]
    items = [item for a in arrays for item in a]
    if items:
        shape["items"] = _merge(items)
    return shape


def mismatches(actual: Any, reference: Any, where: str = "$") -> list[str]:
    """Every difference in keys or JSON types between ``actual`` and the ``reference`` example."""
    return _compare(actual, _merge([reference]), where)


def _compare(actual: Any, shape: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    kind = json_type(actual)
    types = shape["types"]
    # An example's null says "unset", not the type the value has once set.
    if kind not in types and types != {"null"} and not (kind == "null" and "null" in types):
        return [f"{where}: {kind}, reference has {'/'.join(sorted(types))}"]
    if isinstance(actual, dict) and "allowed" in shape:
        meta = where.endswith(".meta")
        required = shape["required"] - (IGNORED_META_KEYS if meta else set())
        missing = required - set(actual)
        extra = set(actual) - shape["allowed"]
        if missing:
            problems.append(f"{where}: missing keys {sorted(missing)}")
        if extra:
            problems.append(f"{where}: unexpected keys {sorted(extra)}")
        for key in set(actual) & shape["allowed"]:
            problems += _compare(actual[key], shape["children"][key], f"{where}.{key}")
    elif isinstance(actual, list) and "items" in shape:
        for index, item in enumerate(actual):
            problems += _compare(item, shape["items"], f"{where}[{index}]")
    return problems


def assert_conforms(actual: Any, method: str, path: str, status: int, name: str | None = None):
    problems = mismatches(actual, example(method, path, status, name))
    assert not problems, f"{method} {path} {status} differs from the reference:\n" + "\n".join(
        problems
    )
