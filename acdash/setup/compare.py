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

from acdash.accounts.access import accessible_accounts

from .diff import diff_setups
from .snapshot import read_setups

MAX_TARGETS = 20


class CompareForm(forms.Form):
    source = forms.ChoiceField(label="Source account")
    targets = forms.MultipleChoiceField(label="Compare with", widget=forms.CheckboxSelectMultiple)

    def __init__(self, choices: list[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = choices
        self.fields["targets"].choices = choices

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
    choices = [(slug, account.name) for slug, account in accounts.items()]
    # The Compare button sends ``compare``; a link may name only the source to start from.
    chosen = "compare" in request.GET
    initial = {"source": request.GET.get("source")}
    form = CompareForm(choices, request.GET if chosen else None, initial=initial)
    context = {"form": form, "section": "compare"}
    if not chosen or not form.is_valid():
        return render(request, "setup/compare.html", context)
    source_slug, target_slugs = form.cleaned_data["source"], form.cleaned_data["targets"]
    source, *targets = read_setups([accounts[source_slug], *(accounts[s] for s in target_slugs)])
    results = [
        (target, diff_setups(source, target) if not (source.error or target.error) else [])
        for target in targets
    ]
    return render(request, "setup/compare.html", {**context, "source": source, "results": results})
