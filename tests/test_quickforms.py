"""``quickforms.QuickRenderer`` writes exactly what Django's templates write, for every field kind,
value and state the filter forms can hold (and hands what it cannot be sure of to them)."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from acdash.quickforms import ENGINE, QuickRenderer

QUICK = QuickRenderer()

HOSTILE = "<b>\"Tom\" & 'Jerry'</b>"


class Everything(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=20, strip=True)
    email = forms.EmailField(label=HOSTILE, widget=forms.EmailInput(attrs={"autofocus": True}))
    count = forms.IntegerField(label="How many?", required=False, min_value=1)
    day = forms.DateField(label="Day", required=False, widget=forms.DateInput)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),  # lazy: left to the templates
        choices=[("", "Any"), ("won", "Won"), ("lost", mark_safe("<i>Lost</i>"))],
    )
    grouped = forms.ChoiceField(
        label=mark_safe("<em>Grouped</em>"),
        required=False,
        choices=[("", "None"), ("Colours", [("r", "Red"), ("g", HOSTILE)]), ("x", "X")],
    )
    overdue = forms.BooleanField(label="Overdue", required=False)
    agreed = forms.BooleanField(label="Agreed", widget=forms.CheckboxInput(check_test=bool))
    sizes = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two")], required=False)
    flags = forms.CharField(
        required=False,
        label_suffix="",
        widget=forms.TextInput(attrs={"type": "search", "data-on": True, "data-off": False}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Any owner"), (1, "Alex <A>"), (2, HOSTILE)]
        self.fields["q"].widget.attrs.update(placeholder=HOSTILE, **{"aria-label": "Find"})


DATA = [
    None,
    {},
    {"q": HOSTILE, "email": "a@b.co", "owner": "2", "status": "won", "grouped": "g"},
    {"overdue": "on", "agreed": "yes", "email": "a@b.co", "status": "lost"},
    {"q": "x" * 30, "email": "nope", "count": "0", "day": "2024-13-01", "owner": "abc"},
    {"status": "nope", "grouped": "zz", "sizes": ["1", "2"], "secret": "s&s", "flags": "f"},
]


def _rendered(form: forms.Form) -> list[str]:
    parts = [str(form), str(form.non_field_errors())]
    for field in form:
        parts += [field.label_tag(), str(field), str(field.errors), field.as_field_group()]
        parts.append(field.label_tag(label_suffix="", attrs={"class": "c"}, tag="legend"))
    return parts


@pytest.mark.parametrize("data", DATA)
def test_the_quick_renderer_writes_what_the_templates_write(data):
    expected = _rendered(Everything(data, auto_id="id_%s", renderer=ENGINE))
    assert _rendered(Everything(data, auto_id="id_%s", renderer=QUICK)) == expected


def test_without_ids_labels_are_plain_text_as_with_the_templates():
    expected = _rendered(Everything({"q": HOSTILE}, auto_id=False, renderer=ENGINE))
    assert _rendered(Everything({"q": HOSTILE}, auto_id=False, renderer=QUICK)) == expected


def test_every_form_of_the_project_renders_through_it():
    assert isinstance(forms.Form().renderer, QuickRenderer)
