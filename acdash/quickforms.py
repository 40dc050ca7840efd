"""A form renderer that writes Django's simplest form templates in Python.

Django renders each widget, label and error list through the template engine (a select
includes one template per option, and one for each attribute list): on the deal board's
and the contact list's filters that was a tenth of the page's server time.
``QuickRenderer``, the project's ``FORM_RENDERER`` (so every form's), writes the same
markup, byte for byte, for inputs (text-like, checkboxes), selects, labels and error
lists; any other template, or a value it cannot be sure to write as the engine does (a
lazy string, a date, a model choice), goes to Django's own renderer (``ENGINE``).
"""

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.utils.safestring import SafeData

INPUT_TYPES = ("checkbox", "color", "date", "datetime", "email", "hidden", "number")
INPUT_TYPES += ("password", "search", "tel", "text", "time", "url")
OPTION = "django/forms/widgets/select_option.html"


class _Unsure(Exception):
    """The engine might write this value differently: let it."""


def _text(value: Any) -> str:
    """``{{ value }}`` or ``{{ value|stringformat:'s' }}``, autoescaped as the engine does."""
    if isinstance(value, SafeData):
        return str(value)
    if type(value) is str:
        return escape(value)
    if type(value) is int:
        return str(value)
    raise _Unsure


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html (and forms/attrs.html, the same template)."""
    if "items" in attrs:  # the template's ``attrs.items`` would look that key up
        raise _Unsure
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _option(option: Mapping[str, Any]) -> str:
    """An option as the select's include writes it: on its line, the file's newline after."""
    if option["template_name"] != OPTION:
        raise _Unsure
    attrs = _attrs(option["attrs"])
    return (
        f'\n  <option value="{_text(option["value"])}"{attrs}>{_text(option["label"])}</option>\n'
    )


def _select(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f'\n  <optgroup label="{_text(group)}">')
        html += [_option(option) for option in options]
        if group:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _label(context: Mapping[str, Any]) -> str:
    label = _text(context["label"])
    if not context["use_tag"]:
        return label
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


def _errors(context: Mapping[str, Any]) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    named = f' id="{_text(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{named}>{items}</ul>'


WRITERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{f"django/forms/widgets/{kind}.html": _input for kind in INPUT_TYPES},
    "django/forms/widgets/select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
}


class QuickRenderer(BaseRenderer):
    """Django's default form renderer, with the templates of ``WRITERS`` written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = WRITERS.get(template_name)
        if write is not None:
            try:
                return write(context).strip()  # as the engine's renderer strips its output
            except _Unsure:
                pass
        return ENGINE.render(template_name, context, request)


ENGINE = DjangoTemplates()  # Django's own form renderer: what the writers stand in for
