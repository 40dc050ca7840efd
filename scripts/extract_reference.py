"""Turn the API reference (shared/activecampaign-api/part-*.md) into runtime JSON data.

The data, acdash/activecampaign/reference.json, keeps for each of the 257 operations its
method, path, operationId, summary, parameters, request examples and response examples
(parsed JSON where the source example is valid JSON), in the order of parts 1–4. Parts 1–4
keep some operations as one "(not detailed)" line; part 5 details exactly those, so their
entries are taken from it. The API console builds its forms from this data, the sandbox
takes defaults from it, and the conformance tests compare responses with its examples.

Usage: python scripts/extract_reference.py [REFERENCE_DIR]
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beside the main checkout (../shared), or two levels up from a worktree under wt/.
SOURCES = [base / "shared" / "activecampaign-api" for base in (ROOT.parent, ROOT.parent.parent)]
TARGET = ROOT / "acdash" / "activecampaign" / "reference.json"
DETAILS = "part-5.md"  # details of the operations the other parts list as "(not detailed)"

HEADING = re.compile(r"^### (GET|POST|PUT|DELETE|PATCH) (\S+)")
OPERATION = re.compile(r"^- operationId: (\S+)(?: · summary: (.*?))?(?: · \(not detailed\))?$")
# "  - `id` (path, integer/int32, required) [default: 20] — what it is"
PARAM = re.compile(
    r"^  - `([^`]+)` \((\w+)(?:, ([^,)]*))?(?:, ([^)]*))?\)(?: \[default: (.*?)\])?(?: — (.*))?$"
)
# "- response 201 (content-type text/plain): {...}", or another note in the parentheses.
RESPONSE = re.compile(r"^- response (\d{3})( \((?:[^()]|\([^)]*\))*\))?:\s*(.*)$")
NAMED = re.compile(r"^  - ([^:]+?): (.*)$")
REQUEST = re.compile(r"^- request examples?:\s*(.*)$")
NOTE = re.compile(r"\s*⟵ \(NOTE:.*$")


def parse_example(raw: str) -> dict:
    text = NOTE.sub("", raw).strip()
    try:
        return {"raw": text, "json": json.loads(text), "valid": True}
    except ValueError:
        return {"raw": text, "json": None, "valid": False}


def parse(source: Path) -> list[dict]:
    """Parts 1–4 in order, each "(not detailed)" entry replaced by part 5's details of it."""
    listed = [
        op
        for part in sorted(source.glob("part-*.md"))
        if part.name != DETAILS
        for op in parse_part(part)
    ]
    details_file = source / DETAILS
    details = (
        {(op["method"], op["path"]): op for op in parse_part(details_file)}
        if details_file.exists()
        else {}
    )
    merged = [
        op if op["detailed"] else details.get((op["method"], op["path"]), op) for op in listed
    ]
    unused = set(details) - {(op["method"], op["path"]) for op in listed if not op["detailed"]}
    if unused:
        raise SystemExit(f"{DETAILS} details operations no other part lists: {sorted(unused)}")
    return merged


def parse_part(part: Path) -> list[dict]:
    operations: list[dict] = []
    current: dict | None = None
    pending: dict | None = None  # a response or request whose examples are listed below it
    for line in part.read_text().splitlines():
        if m := HEADING.match(line):
            current = {
                "method": m.group(1),
                "path": m.group(2),
                "operationId": None,
                "summary": None,
                "detailed": "(not detailed)" not in line,
                "params": [],
                "requests": {},
                "responses": [],
            }
            operations.append(current)
            pending = None
            continue
        if current is None:
            continue
        if m := OPERATION.match(line):
            current["operationId"] = m.group(1)
            current["summary"] = m.group(2)
            current["detailed"] = "(not detailed)" not in line
        elif m := RESPONSE.match(line):
            status, rest = int(m.group(1)), m.group(3)
            plain = "text/plain" in (m.group(2) or "")
            pending = {"kind": "response", "status": status, "text_plain": plain}
            if rest:
                current["responses"].append(
                    {"status": status, "name": None, "text_plain": plain, **parse_example(rest)}
                )
                pending = None
        elif m := REQUEST.match(line):
            rest = m.group(1)
            pending = {"kind": "request"}
            if rest and not rest.startswith("(none"):
                current["requests"]["Request Example"] = parse_example(rest)["json"]
                pending = None
        elif pending and (m := NAMED.match(line)):
            name, rest = m.group(1), m.group(2)
            if pending["kind"] == "response":
                current["responses"].append(
                    {
                        "status": pending["status"],
                        "name": name,
                        "text_plain": pending["text_plain"],
                        **parse_example(rest),
                    }
                )
            else:
                current["requests"][name] = parse_example(rest)["json"]
        elif m := PARAM.match(line):
            name, where, kind, flags, default, description = m.groups()
            current["params"].append(
                {
                    "name": name,
                    "in": where,
                    "type": kind or "string",
                    "required": (flags or "").startswith("required"),
                    "default": default,
                    "description": description or "",
                }
            )
            pending = None
        elif line.startswith("- "):
            pending = None
    return operations


def main() -> None:
    found = [Path(sys.argv[1])] if len(sys.argv) > 1 else [s for s in SOURCES if s.is_dir()]
    if not found or not list(found[0].glob("part-*.md")):
        raise SystemExit(f"no reference parts found in {found or SOURCES}")
    operations = parse(found[0])
    TARGET.write_text(json.dumps(operations, indent=1, ensure_ascii=False) + "\n")
    detailed = sum(1 for op in operations if op["detailed"])
    print(f"{len(operations)} operations ({detailed} detailed) -> {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
