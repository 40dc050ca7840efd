"""Forms of the pipelines page and the deal board. Choices (owners, stages) come from the
API's metadata, never from what the browser sent."""

import re

from django import forms

from acdash.activecampaign.deals import DealStatus
from acdash.activecampaign.pipelines import Pipeline
from acdash.activecampaign.users import User

STATUSES = {"open": DealStatus.OPEN, "won": DealStatus.WON, "lost": DealStatus.LOST}
COLOUR = re.compile(r"^#?[0-9A-Fa-f]{6}$")
CURRENCY = re.compile(r"^[A-Za-z]{3}$")


class BoardFilterForm(forms.Form):
    """The board's filters; an invalid one shows its error by the field and is not applied."""

    q = forms.CharField(label="Search", required=False, max_length=200, strip=True)
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("open", "Open"), ("won", "Won"), ("lost", "Lost")],
    )

    def __init__(self, data, *, users: list[User]) -> None:
        super().__init__(data)
        self.fields["owner"].choices = [("", "Any owner")] + [(u.id, u.name) for u in users]
        self.fields["q"].widget.attrs.update(type="search", placeholder="Title, contact or org")

    def value(self, name: str):
        """The field's cleaned value, or its empty value when invalid."""
        if name in getattr(self, "cleaned_data", {}):
            return self.cleaned_data[name]
        return {"q": "", "owner": None, "status": ""}[name]


class PipelineForm(forms.Form):
    title = forms.CharField(label="Title", max_length=255, strip=True)
    currency = forms.CharField(label="Currency", max_length=3, initial="USD", strip=True)

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"]
        if not CURRENCY.match(value):
            raise forms.ValidationError("A three-letter currency code, like USD or EUR.")
        return value.upper()


class RenameForm(forms.Form):
    title = forms.CharField(label="Title", max_length=255, strip=True)


def clean_colour(value: str) -> str:
    if not COLOUR.match(value or ""):
        raise forms.ValidationError("A colour as six hex digits, like #32B0FC.")
    return value.removeprefix("#").upper()


class StageForm(forms.Form):
    """A stage's title and colour (a new stage's too)."""

    title = forms.CharField(label="Title", max_length=255, strip=True)
    color = forms.CharField(
        label="Colour",
        max_length=20,
        initial="#32B0FC",
        widget=forms.TextInput(attrs={"type": "color"}),
    )

    def clean_color(self) -> str:
        return clean_colour(self.cleaned_data["color"])


class MoveDealsForm(forms.Form):
    """Where a deleted stage's deals go: another stage of the same pipeline."""

    target = forms.TypedChoiceField(label="Move its deals to", coerce=int)

    def __init__(self, data, *, pipeline: Pipeline, stage_id: int) -> None:
        super().__init__(data)
        others = [(s.id, s.title) for s in pipeline.stages if s.id != stage_id]
        self.fields["target"].choices = [("", "Choose a stage…"), *others]
