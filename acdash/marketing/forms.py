"""Forms of the marketing screens, their choices the API's own lists."""

from django import forms
from django.core.validators import URLValidator

URL_MAX = 1000
NAME_MAX = 255


class WebhookForm(forms.Form):
    """A webhook: events and sources are chosen from the API's lists (``/webhook/events``,
    ``/webhook/initiators``), so a value outside them is refused here, before any call."""

    name = forms.CharField(max_length=NAME_MAX)
    url = forms.URLField(
        label="URL",
        max_length=URL_MAX,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where ActiveCampaign sends each event (http or https).",
    )
    events = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    sources = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        help_text="Who caused the event: a contact (public), a user (admin), the API, or "
        "ActiveCampaign itself (system).",
    )

    def __init__(self, *args, events: list[str], sources: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e, e) for e in events]
        self.fields["sources"].choices = [(s, s) for s in sources]


class AddToAutomationForm(forms.Form):
    automation = forms.TypedChoiceField(coerce=int, label="Add to automation")

    def __init__(self, *args, automations: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = sorted(automations.items(), key=lambda item: item[1].lower())
        self.fields["automation"].choices = [("", "Choose an automation…"), *choices]
