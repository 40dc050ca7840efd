"""Forms of the deals list (its filters, read from the query string) and of deal writes.

Choices come from the API's metadata (pipelines and stages, users, currencies in use):
what the browser sends is checked against them, never trusted.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.http import QueryDict

from acdash.activecampaign.deals import DealStatus
from acdash.activecampaign.pipelines import Pipeline
from acdash.activecampaign.users import User

PAGE_SIZES = (20, 50, 100)
STATUS_LABELS = {DealStatus.OPEN: "Open", DealStatus.WON: "Won", DealStatus.LOST: "Lost"}
# Sorts of the list: column name -> the API's orders[...] name.
SORTS = {"title": "title", "value": "value", "created": "cdate"}
MAX_CENTS = 10**15  # far above any deal; the API's value is a 64-bit integer of cents
CURRENCY = re.compile(r"^[A-Za-z]{3}$")
# ISO 4217's active codes: the currencies ActiveCampaign deals can be in.
ISO_CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL""".split()  # noqa: SIM905 (a table to read)
)
MAX_ID = 2**63 - 1


def parse_money(text: str) -> int:
    """ "1,234.50" -> 123450 cents. ValidationError for what is not an amount."""
    cleaned = str(text).strip().replace(",", "").replace(" ", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError(
            "“%(text)s” is not an amount: write it like 1,234.50.", params={"text": text[:40]}
        ) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise forms.ValidationError("Write the amount with at most two decimals, like 1,234.50.")
    cents = int(amount * 100)
    if not -MAX_CENTS < cents < MAX_CENTS:
        raise forms.ValidationError("That amount is too large.")
    return cents


class MoneyField(forms.CharField):
    """An amount as typed ("1,234.50"), cleaned to int cents (None when empty)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if len(text) > 40:
            raise forms.ValidationError("That is not an amount: write it like 1,234.50.")
        return parse_money(text) if text else None


def cents_text(cents: int | None) -> str:
    """123450 -> "1,234.50": how an amount opens in an editor."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(int(cents)), 100)
    return f"{sign}{whole:,}.{fraction:02d}"


def stage_choices(pipelines: list[Pipeline]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Stages grouped by pipeline, for a select with optgroups."""
    return [(p.title, [(s.id, s.title) for s in p.stages]) for p in pipelines if p.stages]


def owner_choices(users: list[User]) -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in users]


def _typed_choice(label: str, empty: str, noun: str, **kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": f"there is no {noun} “%(value)s”."},
        **kwargs,
    )


class DealFilterForm(forms.Form):
    """The list's query string; each field is optional and an invalid one is ignored."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Title, contact or organization",
                "autocomplete": "off",
            }
        ),
    )
    pipeline = _typed_choice("Pipeline", "Any pipeline", "pipeline")
    stage = _typed_choice("Stage", "Any stage", "stage")
    status = _typed_choice(
        "Status",
        "Any status",
        "status",
        choices=[("", "Any status"), *((int(s), text) for s, text in STATUS_LABELS.items())],
    )
    owner = _typed_choice("Owner", "Anyone", "owner")
    per_page = forms.TypedChoiceField(
        label="Rows per page",
        required=False,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(n, str(n)) for n in PAGE_SIZES],
        error_messages={"invalid_choice": "choose 20, 50 or 100 (showing 20 rows)."},
    )

    def __init__(
        self, data: QueryDict, *, action: str, pipelines: list[Pipeline], users: list[User]
    ) -> None:
        super().__init__(data)
        self.fields["pipeline"].choices = [("", "Any pipeline")] + [
            (p.id, p.title) for p in pipelines
        ]
        self.fields["stage"].choices = [("", "Any stage"), *stage_choices(pipelines)]
        self.fields["owner"].choices = [("", "Anyone"), *owner_choices(users)]
        self.fields["q"].widget.attrs.update(
            {
                "hx-get": action,
                "hx-trigger": "input changed delay:300ms, search",
                "aria-controls": "deal-results",
            }
        )
        for name in ("pipeline", "stage", "status", "owner", "per_page"):
            self.fields[name].widget.attrs.update({"hx-get": action, "hx-trigger": "change"})

    def value(self, name: str) -> Any:
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return self.fields[name].empty_value if name == "per_page" else None

    def api_filters(self) -> dict[str, Any]:
        """Keyword arguments of deals.list_deals."""
        status = self.value("status")
        return {
            "search": self.value("q") or "",
            "pipeline_id": self.value("pipeline"),
            "stage_id": self.value("stage"),
            "status": DealStatus(status) if status is not None else None,
            "owner_id": self.value("owner"),
        }

    def descriptions(self) -> list[str]:
        found = [f"“{q}”"] if (q := self.value("q")) else []
        for name in ("pipeline", "stage", "status", "owner"):
            if (value := self.value(name)) is not None:
                label = _label(self.fields[name].choices, value)
                found.append(f"{self.fields[name].label.lower()} {label}")
        return found

    def problems(self) -> list[str]:
        return [
            f"{self.fields[name].label}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]


def _label(choices: Any, value: Any) -> str:
    for key, text in choices:
        if isinstance(text, list | tuple):
            found = _label(text, value)
            if found:
                return found
        elif str(key) == str(value):
            return str(text)
    return ""


class DealForm(forms.Form):
    """A deal's own attributes (the page's Details editor, and New deal). The stage names
    its pipeline; stage, owner and currency are checked against the API's metadata."""

    title = forms.CharField(label="Title", max_length=255)
    value = MoneyField(label="Value", help_text="In the deal's currency, e.g. 1,234.50.")
    currency = forms.CharField(label="Currency", max_length=3, help_text="e.g. USD, EUR")
    stage = forms.TypedChoiceField(
        label="Pipeline and stage",
        coerce=int,
        error_messages={"invalid_choice": "That is not a stage of this account: pick one."},
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "That is not a user of this account: pick one."},
    )
    status = forms.TypedChoiceField(
        label="Status",
        coerce=int,
        choices=[(int(s), text) for s, text in STATUS_LABELS.items()],
        error_messages={"invalid_choice": "Pick open, won or lost."},
    )

    def __init__(
        self, *args: Any, pipelines: list[Pipeline], users: list[User], **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.pipelines, self.users = pipelines, users
        self.fields["stage"].choices = [("", "— pick a stage —"), *stage_choices(pipelines)]
        self.fields["owner"].choices = [("", "— automatic —"), *owner_choices(users)]

    def clean_value(self) -> int:
        value = self.cleaned_data["value"]
        if value is None:
            raise forms.ValidationError("Enter the deal's value (0 for none).")
        if value < 0:
            raise forms.ValidationError("A deal's value cannot be negative.")
        return value

    def clean_currency(self) -> str:
        text = self.cleaned_data["currency"].strip()
        if not CURRENCY.match(text):
            raise forms.ValidationError("Write a three-letter currency code, like USD.")
        if text.upper() not in ISO_CURRENCIES:
            raise forms.ValidationError(
                "“%(code)s” is not a currency code: write one like USD or EUR.",
                params={"code": text},
            )
        return text.upper()

    def pipeline_of(self, stage_id: int) -> int | None:
        return next((p.id for p in self.pipelines if p.stage(stage_id)), None)


class CreateDealForm(DealForm):
    contact = forms.IntegerField(
        label="Primary contact id",
        min_value=1,
        max_value=MAX_ID,
        help_text="The contact's number, as in its page's address.",
    )

    field_order = ["title", "contact", "value", "currency", "stage", "owner", "status"]
