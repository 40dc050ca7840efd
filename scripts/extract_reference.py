"""Turn the API reference (shared/activecampaign-api/part-*.md) into a JSON fixture.

The fixture, tests/conformance/reference.json, keeps for each operation its method,
path, operationId, parameters, request examples and response examples (parsed JSON
where the source example is valid JSON). The conformance tests compare the sandbox's
responses against these examples.

Usage: python scripts/extract_reference.py [REFERENCE_DIR]
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "activecampaign-api"
TARGET = ROOT / "tests" / "conformance" / "reference.json"

HEADING = re.compile(r"^### (GET|POST|PUT|DELETE|PATCH) (\S+)")
OPERATION = re.compile(r"^- operationId: (\S+)")
PARAM = re.compile(r"^  - `([^`]+)` \((\w+)")
# "- response 201 (content-type text/plain): {...}", or another note in the parentheses.
RESPONSE = re.compile(r"^- response (\d{3})( \((?:[^()]|\([^)]*\))*\))?:\s*(.*)$")
NAMED = re.compile(r"^  - ([^:]+?): (.*)$")
REQUEST = re.compile(r"^- request example:\s*(.*)$")
NOTE = re.compile(r"\s*⟵ \(NOTE:.*$")


def parse_example(raw: str) -> dict:
    text = NOTE.sub("", raw).strip()
    try:
        return {"raw": text, "json": json.loads(text), "valid": True}
    except ValueError:
        return {"raw": text, "json": None, "valid": False}


def parse(source: Path) -> list[dict]:
    operations: list[dict] = []
    current: dict | None = None
    pending: dict | None = None  # a response or request whose examples are listed below it
    for part in sorted(source.glob("part-*.md")):
        for line in part.read_text().splitlines():
            if m := HEADING.match(line):
                current = {
                    "method": m.group(1),
                    "path": m.group(2),
                    "operationId": None,
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
                current["params"].append({"name": m.group(1), "in": m.group(2)})
                pending = None
            elif line.startswith("- "):
                pending = None
    return operations


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    operations = parse(source)
    TARGET.write_text(json.dumps(operations, indent=1, ensure_ascii=False) + "\n")
    detailed = sum(1 for op in operations if op["detailed"])
    print(f"{len(operations)} operations ({detailed} detailed) -> {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
