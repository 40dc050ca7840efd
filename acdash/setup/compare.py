"""Compare one account's setup with others, read-only: pick a source and targets among the
accounts the user may see; for each target and part, what a copy would create, update
(which attributes or options), leave identical, or must not write (conflicts). Items are
matched by name, never by id.

Costs the accounts' setup reads, every account at once (snapshot.py: mostly cached
metadata, the branding always; 10 calls per account on a cold cache).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from acdash.accounts.access import accessible_accounts, get_access

from .diff import diff_setups
from .models import SetupTemplate
from .snapshot import Setup, from_json, read_setups

MAX_TARGETS = 20


TEMPLATE = "template:"  # a source that is a saved template: "template:<id>"


def template_setup(template: SetupTemplate) -> Setup:
    return Setup(template, from_json(template.parts), [])  # type: ignore[arg-type]


def source_choices(accounts: dict) -> list[tuple[str, str]]:
    """The accounts, then the saved templates, as a source may be either."""
    choices = [(slug, account.name) for slug, account in accounts.items()]
    templates = SetupTemplate.objects.all()
    return choices + [(f"{TEMPLATE}{t.pk}", f"Template: {t.name}") for t in templates]


def read_source_and_targets(
    accounts: dict, source: str, targets: list[str]
) -> tuple[Setup, list[Setup]]:
    """The source's setup (an account's, read now, or a template's) and the targets'."""
    chosen = [accounts[slug] for slug in targets]
    if source.startswith(TEMPLATE):
        template = SetupTemplate.objects.get(pk=int(source.removeprefix(TEMPLATE)))
        return template_setup(template), read_setups(chosen)
    first, *rest = read_setups([accounts[source], *chosen])
    return first, rest


class CompareForm(forms.Form):
    source = forms.ChoiceField(label="Source account")
    targets = forms.MultipleChoiceField(label="Compare with", widget=forms.CheckboxSelectMultiple)

    def __init__(self, accounts: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices(accounts)
        self.fields["targets"].choices = [(s, a.name) for s, a in accounts.items()]

    def clean(self):
        data = super().clean()
        targets = [t for t in data.get("targets", []) if t != data.get("source")]
        if "targets" in data and not targets:
            self.add_error("targets", "Choose at least one account other than the source.")
        if len(targets) > MAX_TARGETS:
            self.add_error("targets", f"At most {MAX_TARGETS} accounts at a time.")
        data["targets"] = targets
        return data


@login_required
@require_safe
def compare_page(request: HttpRequest) -> HttpResponse:
    """GET without a choice: the form; with ``source`` and ``targets``: the diffs too."""
    accounts = {a.slug: a for a in accessible_accounts(request.user).order_by("name")}
    # The Compare button sends ``compare``; a link may name only the source to start from.
    chosen = "compare" in request.GET
    initial = {"source": request.GET.get("source")}
    form = CompareForm(accounts, request.GET if chosen else None, initial=initial)
    context = {"form": form, "section": "compare"}
    if not chosen or not form.is_valid():
        return render(request, "setup/compare.html", context)
    source_value, target_slugs = form.cleaned_data["source"], form.cleaned_data["targets"]
    source, targets = read_source_and_targets(accounts, source_value, target_slugs)
    results = [
        (
            target,
            diff_setups(source, target) if not (source.error or target.error) else [],
            get_access(request.user, target.account.slug).can_admin,
        )
        for target in targets
    ]
    context |= {"source": source, "source_value": source_value, "results": results}
    return render(request, "setup/compare.html", context)
