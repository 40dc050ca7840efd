"""The account's branding: every attribute the API exposes, in one form, with a preview of
the header and footer.

The preview never runs customer HTML in acdash's origin: it is its own document, shown in
an ``<iframe sandbox>`` (no scripts, an opaque origin), and its answer carries a
Content-Security-Policy of its own (``sandbox``, no script, nothing loaded but images and
inline styles), so it is just as inert when opened on its own. The page costs 1 call; a
save 1 more; the preview of the saved branding 1, of the form's values none.
"""

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import ApiError, branding
from acdash.activecampaign.branding import BRANDING_ATTRIBUTES, FLAGS

from .common import audit, context_for, refused, require_admin

PREVIEW_CSP = (
    "sandbox; default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; "
    "img-src https: data:; font-src https: data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)
# A refresh would take the preview elsewhere; the sandbox keeps the page itself put anyway.
META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
LABELS = {
    "site_name": "Site name",
    "site_logo": "Logo URL",
    "site_logo_small": "Small logo URL",
    "header_text": "Header (text emails)",
    "header_html": "Header (HTML)",
    "footer_text": "Footer (text emails)",
    "footer_html": "Footer (HTML)",
    "show_copyright": "Show the copyright",
    "show_version": "Show the version",
    "show_license": "Show the license",
    "show_links": "Show the links",
    "show_help": "Show help",
    "admin_template_html": "Admin template (HTML)",
    "admin_template_css": "Admin template (CSS)",
    "public_template_html": "Public template (HTML)",
    "public_template_css": "Public template (CSS)",
    "favicon": "Favicon URL",
}
LONG = {"header_html", "footer_html", "header_text", "footer_text"}
LONG |= {"admin_template_html", "admin_template_css", "public_template_html"}
LONG |= {"public_template_css"}


class BrandingForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, label in LABELS.items():
            if name in FLAGS:
                self.fields[name] = forms.BooleanField(required=False, label=label)
            elif name in LONG:
                widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})
                self.fields[name] = forms.CharField(
                    required=False, label=label, widget=widget, max_length=200_000, strip=False
                )
            else:
                self.fields[name] = forms.CharField(required=False, label=label, max_length=2000)


def _values(saved: branding.Branding) -> dict[str, Any]:
    values = {name: getattr(saved, name) for name in BRANDING_ATTRIBUTES}
    values["favicon"] = values["favicon"] or ""
    return values


@account_view
@require_http_methods(["GET", "POST"])
def branding_page(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """GET: the form with the saved branding (1 call). POST (admins): save what changed."""
    context = context_for(request, account, "branding")
    if request.method == "POST":
        require_admin(request)
    try:
        client = client_for_account(account)
        saved = branding.get_branding(client)
    except ApiError as exc:
        return render(request, "setup/branding.html", {**context, "error": exc.message})
    held = _values(saved)
    form = BrandingForm(request.POST or None, initial=held)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != held[k]}
        if "favicon" in changes and not changes["favicon"]:
            changes["favicon"] = None
        if not changes:
            messages.info(request, "No changes to the branding.")
            return redirect("setup:branding", account.slug)
        try:
            after = branding.update_branding(client, branding_id=saved.id, **changes)
        except ApiError as exc:
            names = {api: name for name, api in BRANDING_ATTRIBUTES.items()}
            refused(form, exc, names)
        else:
            edited = ", ".join(LABELS[k].lower() for k in changes)
            summary = f"Edited the branding: {edited}"
            audit(
                request, "branding", saved.id, "update", before=saved, after=after, summary=summary
            )
            messages.success(request, summary + ".")
            return redirect("setup:branding", account.slug)
    return render(request, "setup/branding.html", {**context, "form": form})


@account_view
@xframe_options_sameorigin
@require_http_methods(["GET", "POST"])
def branding_preview(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    """The header and footer as a document of their own: GET the saved ones (1 call), POST
    the form's values (none). Only shown inside the sandboxed iframe (see the docstring)."""
    if request.method == "POST":
        form = BrandingForm(request.POST)
        values = form.cleaned_data if form.is_valid() else {}
    else:
        try:
            values = _values(branding.get_branding(client_for_account(account)))
        except ApiError as exc:
            values = {"header_text": f"The branding could not be loaded: {exc.message}"}
    context = {
        name: META_TAG.sub("", values.get(name) or "")
        for name in ("header_html", "footer_html", "public_template_css")
    }
    context |= {"header_text": values.get("header_text", ""), "site_name": values.get("site_name")}
    response = HttpResponse(render_to_string("setup/branding_preview.html", context))
    response["Content-Security-Policy"] = PREVIEW_CSP
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    return response
