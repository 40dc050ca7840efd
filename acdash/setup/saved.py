"""Setup templates: save an account's setup under a name, rename, delete; compare and apply
one from the compare page (its source list holds the templates)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from acdash.accounts.access import accessible_accounts

from .models import SetupTemplate
from .snapshot import read_setups, to_json


class NameForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)

    def __init__(self, *args, template: SetupTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        taken = SetupTemplate.objects.filter(name__iexact=name)
        if self.template is not None:
            taken = taken.exclude(pk=self.template.pk)
        if taken.exists():
            raise forms.ValidationError("A template has this name already.")
        return name


class SaveForm(NameForm):
    source = forms.ChoiceField(label="Save the setup of")

    def __init__(self, accounts: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s, a.name) for s, a in accounts.items()]


def _page(request: HttpRequest, form: SaveForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "templates": SetupTemplate.objects.all(), "section": "templates"}
    return render(request, "setup/templates.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_list(request: HttpRequest) -> HttpResponse:
    """The templates; POST saves the chosen account's setup as a new one (its setup read)."""
    accounts = {a.slug: a for a in accessible_accounts(request.user).order_by("name")}
    if request.method != "POST":
        return _page(request, SaveForm(accounts))
    form = SaveForm(accounts, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    account = accounts[form.cleaned_data["source"]]
    (setup,) = read_setups([account])
    if setup.error:
        form.add_error(None, f"The account's setup could not be read: {setup.error}")
        return _page(request, form, status=502)
    SetupTemplate.objects.create(
        name=form.cleaned_data["name"],
        source_name=account.name,
        parts=to_json(setup.parts),
        created_by=request.user,
    )
    messages.success(request, f"Saved the setup of {account.name} as a template.")
    return redirect("setup:templates")


@login_required
@require_POST
def template_rename(request: HttpRequest, template_id: int) -> HttpResponse:
    template = get_object_or_404(SetupTemplate, pk=template_id)
    form = NameForm(request.POST, template=template)
    if form.is_valid():
        template.name = form.cleaned_data["name"]
        template.save(update_fields=["name"])
        messages.success(request, "Template renamed.")
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("setup:templates")


@login_required
@require_POST
def template_delete(request: HttpRequest, template_id: int) -> HttpResponse:
    template = get_object_or_404(SetupTemplate, pk=template_id)
    template.delete()
    messages.success(request, f"Deleted the template {template.name}.")
    return redirect("setup:templates")
