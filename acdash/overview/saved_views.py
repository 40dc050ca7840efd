"""Saved views of the overview: a user's named filters and sort, listed above the table.
They belong to the user alone (another user's view is a 404) and hold no account data, so
they are not account writes for the audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .forms import SavedViewForm
from .listing import canonical_query, overview_context
from .models import SavedView


def _overview_url(query: str) -> str:
    url = reverse("overview")
    return f"{url}?{query}" if query else url


@login_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    """Save the view ``query`` names (re-read here: only valid filters and sort are kept)
    as ``name``; a bad name shows the overview again with the message by the field."""
    query = canonical_query(QueryDict(request.POST.get("query", "")[:2000]))
    form = SavedViewForm(request.POST, user=request.user)
    if not form.is_valid():
        context = overview_context(request, QueryDict(query))
        context["save_form"] = form
        return render(request, "overview/overview.html", context)
    try:
        view = SavedView.objects.create(
            user=request.user, name=form.cleaned_data["name"], query=query
        )
    except IntegrityError:  # the same name saved meanwhile (another tab)
        messages.error(request, f"You already have a view named “{form.cleaned_data['name']}”.")
        return redirect(_overview_url(query))
    messages.success(request, f"Saved the view “{view.name}”.")
    return redirect(_overview_url(query))


@login_required
@require_http_methods(["GET", "POST"])
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    """GET: a confirmation naming the view. POST: delete it."""
    view = get_object_or_404(SavedView, pk=view_id, user=request.user)
    if request.method == "POST":
        view.delete()
        messages.success(request, f"Deleted the saved view “{view.name}”.")
        return redirect("overview")
    return render(request, "overview/view_delete.html", {"view": view})
