"""Copy chosen setup items from the compare page: one job per target account.

The page posts the source (an account or a template), the rows ticked
(``<target>|<part>:<name>``) and whole parts (``<target>|<part>``). Everything is read and
compared again here: only rows that are still to create or to update are copied; conflicts
and identical items never are. Only admins of a target may copy into it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from acdash.accounts.access import accessible_accounts, get_access
from acdash.jobs.engine import start_job

from .compare import MAX_TARGETS, TEMPLATE, read_source_and_targets, source_choices
from .copying import values_of
from .diff import diff_setups
from .snapshot import PARTS, Setup, key

COPIED = ("create", "update")


def _chosen(request: HttpRequest) -> dict[str, tuple[set[str], set[str]]]:
    """Per target slug: the items (``part:name``) and the whole parts ticked."""
    chosen: dict[str, tuple[set[str], set[str]]] = {}
    for field, at in (("item", 0), ("part", 1)):
        for value in request.POST.getlist(field):
            slug, _, what = value.partition("|")
            if what:
                chosen.setdefault(slug, (set(), set()))[at].add(what)
    return chosen


def _targets_for(source: Setup, target: Setup, items: set[str], parts: set[str]) -> dict:
    """The job's targets: each chosen row still to create or update, by item id."""
    found = {}
    for part in diff_setups(source, target):
        for row in part.rows:
            object_id = f"{part.part}:{row.name}"
            if row.status in COPIED and (part.part in parts or object_id in items):
                item = source.parts[part.part][key(row.name)]
                found[object_id] = values_of(item)
    return found


@login_required
@require_POST
def copy_setup(request: HttpRequest) -> HttpResponse:
    accounts = {a.slug: a for a in accessible_accounts(request.user)}
    source_value = request.POST.get("source", "")
    chosen = {s: c for s, c in _chosen(request).items() if s != source_value}
    compare_url = reverse("setup:compare")
    if source_value not in dict(source_choices(accounts)) or not chosen:
        messages.error(request, "Choose a source and at least one item to copy.")
        return redirect(compare_url)
    if len(chosen) > MAX_TARGETS or any(slug not in accounts for slug in chosen):
        messages.error(request, "Choose accounts you can see, at most 20 at a time.")
        return redirect(compare_url)
    if not all(get_access(request.user, slug).can_admin for slug in chosen):
        raise PermissionDenied("Only an account's admins may copy setup into it.")
    source, targets = read_source_and_targets(accounts, source_value, list(chosen))
    if source.error or any(t.error for t in targets):
        messages.error(request, "An account's setup could not be read; nothing was copied.")
        return redirect(compare_url)
    kind = "template" if source_value.startswith(TEMPLATE) else "account"
    jobs = []
    for target in targets:
        items, parts = chosen[target.account.slug]
        wanted = _targets_for(source, target, items, parts & PARTS.keys())
        if wanted:
            jobs.append(
                start_job(
                    account=target.account,
                    user=request.user,
                    kind="setup",
                    description=f"Copy setup from the {kind} {source.account.name}",
                    targets=wanted,
                    bulk=False,
                )
            )
    if not jobs:
        messages.success(request, "Nothing to copy: the chosen items are already identical.")
        return redirect(compare_url)
    if len(jobs) == 1:
        return redirect(jobs[0].get_absolute_url())
    return render(request, "setup/copy_started.html", {"jobs": jobs, "section": "compare"})
