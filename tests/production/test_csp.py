"""Every page carries a Content-Security-Policy with a fresh nonce; scripts need it."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BRANDING_PREVIEW = "setup/branding_preview.html"  # answered with a stricter policy of its own


@pytest.mark.django_db
def test_pages_carry_a_nonce_and_no_unsafe_inline_script(client):
    first, second = client.get("/login/"), client.get("/login/")
    policy = first["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert re.fullmatch(r"'self' 'nonce-[\w-]{16,}'", directives["script-src"])
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert policy != second["Content-Security-Policy"]  # a new nonce for every answer


def test_no_template_holds_an_inline_script_style_attribute_or_handler():
    """Inline code and style attributes would be refused by the browser under the policy:
    scripts and <style> carry the nonce, styles come from static files."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        if template.relative_to(TEMPLATES).as_posix() == BRANDING_PREVIEW:
            continue
        text = template.read_text()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if "src=" not in tag and "csp_nonce" not in tag:
                offenders.append(f"{template}: {tag}")
        for attribute in re.findall(r"\s(?:style|on[a-z]+)=\"[^\"]*\"", text):
            offenders.append(f"{template}:{attribute}")
        # htmx evaluates trigger filters with Function(), which the policy forbids.
        offenders += [f"{template}: {f}" for f in re.findall(r"hx-trigger=\"[^\"]*\[", text)]
    assert not offenders, "\n".join(offenders)
