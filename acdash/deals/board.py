"""One pipeline's deal board: a column per stage with its count and value, a card per deal,
filters (owner, status, search) in the URL, more cards per column on demand, and moving a
deal to another stage (dragged by static/js/board.js, or the card's "Move to…" menu).

With the pipelines and users cached, the board costs the pipeline's deals in pages of 100,
or one call per stage (concurrently) where that is fewer (``board_columns``); the cards'
contact names come from the labels recent pages remembered (``labels``), and those not
remembered follow in one more request (``contact_names``), so the board never waits for
them. The cards are built in Python (``cards.py``): as template partials they were most of
the board's server time.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import push_url

from acdash.accounts.access import account_view
from acdash.accounts.clients import client_for_account
from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import (
    ApiError,
    Client,
    NotFound,
    ValidationError,
    labels,
    pipelines,
    users,
)
from acdash.activecampaign.concurrency import gather
from acdash.activecampaign.dealboard import (
    COLUMN_PAGE,
    BoardFilters,
    board_columns,
    contact_names,
    read_deal,
    stage_page,
)
from acdash.activecampaign.deals import Deal, DealStatus, move_deal
from acdash.contacts.writes import audit

from .cards import CardContext, cards_html
from .pipeline_forms import STATUSES, BoardFilterForm

TEMPLATE = "deals/board.html"
STATUS_LABELS = {DealStatus.OPEN: "Open", DealStatus.WON: "Won", DealStatus.LOST: "Lost"}
MAX_NAMES = 300  # contact ids one names request may ask for (a board's visible cards)


def _metadata(client: Client, pipeline_id: int) -> tuple[pipelines.Pipeline, list[users.User]]:
    """The pipeline and the account's users, from the cache (no call when warm)."""
    pipeline, known = gather(
        lambda: pipelines.get_pipeline(client, pipeline_id), lambda: users.list_users(client)
    )
    return pipeline, known


def _filters(form: BoardFilterForm) -> BoardFilters:
    form.is_valid()  # an invalid filter shows its error by the field and is not applied
    status = form.value("status")
    return BoardFilters(form.value("owner"), STATUSES.get(status), form.value("q"))


def _query(form: BoardFilterForm) -> str:
    """The filters in use, as the URL that reproduces the view shows them."""
    pairs = [(name, form.data.get(name, "")) for name in ("q", "owner", "status")]
    return urlencode([(k, v) for k, v in pairs if v and k not in form.errors])


def _card_context(request: HttpRequest, context: dict[str, Any]) -> CardContext:
    """What the page's cards share, made once for all its columns."""
    return CardContext(
        account_slug=context["account"].slug,
        pipeline=context["pipeline"],
        can_edit=context["can_edit"],
        query=context["query"],
        csrf_token=get_token(request),
        now=context["now"],
        focus_first=context.get("focus_first", False),
    )


def _cards(
    shared: CardContext,
    deals: list[Deal],
    owners: dict[int, users.User],
    names: dict[int, str] | None = None,
) -> SafeString:
    """The cards of ``deals``: with their owner, status and (when known) contact name."""
    cards = [
        (
            deal,
            owners.get(deal.owner_id or 0),
            STATUS_LABELS.get(deal.status, ""),
            (names or {}).get(deal.contact_id or 0, ""),
        )
        for deal in deals
    ]
    return cards_html(cards, shared)


def _base(request: HttpRequest, account: ConnectedAccount) -> dict[str, Any]:
    # "now": the cards mark an overdue next task.
    context = {"account": account, "section": "deals", "can_edit": request.access.can_edit}
    return context | {"now": timezone.now()}


@account_view
@require_safe
def board(request: HttpRequest, account: ConnectedAccount, pipeline_id: int) -> HttpResponse:
    """The board page, or for htmx (the filters) only the columns, with a pushed URL."""
    context = _base(request, account)
    try:
        client = client_for_account(account)
        pipeline, known = _metadata(client, pipeline_id)
    except NotFound:
        return render(request, TEMPLATE, {**context, "missing": True}, status=404)
    except ApiError as exc:
        return render(request, TEMPLATE, {**context, "error": str(exc)})
    form = BoardFilterForm(request.GET, users=known)
    filters = _filters(form)
    query = _query(form)
    context |= {"pipeline": pipeline, "filters": form, "query": query}
    try:
        columns = board_columns(client, pipeline, filters, limit=COLUMN_PAGE)
    except ApiError as exc:
        context["board_error"] = str(exc)
    else:
        owners = {u.id: u for u in known}
        ids = {d.contact_id for c in columns for d in c.page.items if d.contact_id}
        names = labels.known(client, labels.CONTACT, ids)
        shared = _card_context(request, context)
        context["columns"] = [
            {"column": c, "cards": _cards(shared, c.page.items, owners, names)} for c in columns
        ]
        context["contact_ids"] = sorted(ids - names.keys())  # named by one more request
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, f"{TEMPLATE}#columns", context)
        url = reverse("deals:board", args=[account.slug, pipeline.id])
        push_url(response, f"{url}?{query}" if query else url)
    else:
        response = render(request, TEMPLATE, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _offset(request: HttpRequest) -> int:
    try:
        return min(max(0, int(request.GET.get("offset", 0))), 1_000_000)
    except ValueError:
        return 0


@account_view
@require_safe
def column(
    request: HttpRequest, account: ConnectedAccount, pipeline_id: int, stage_id: int
) -> HttpResponse:
    """The next cards of one column ("Show more"): one call for the deals, one for their
    contacts' names."""
    if not request.htmx:  # a fragment of the board
        return redirect("deals:board", account.slug, pipeline_id)
    context = _base(request, account)
    try:
        client = client_for_account(account)
        pipeline, known = _metadata(client, pipeline_id)
    except ApiError as exc:
        return _column_error(request, context, str(exc))
    stage = pipeline.stage(stage_id)
    if stage is None:
        return _column_error(request, context, "This stage no longer exists: reload the board.")
    form = BoardFilterForm(request.GET, users=known)
    offset = _offset(request)
    try:
        page = stage_page(client, stage.id, _filters(form), offset=offset)
        names = contact_names(client, [d.contact_id for d in page.items if d.contact_id])
    except ApiError as exc:
        return _column_error(request, context, str(exc))
    context |= {
        "pipeline": pipeline,
        "stage": stage,
        "page": page,
        "query": _query(form),
        "next_offset": offset + len(page.items),
        "focus_first": True,
    }
    owners = {u.id: u for u in known}
    context["cards"] = _cards(_card_context(request, context), page.items, owners, names)
    return render(request, f"{TEMPLATE}#more-cards", context)


def _column_error(request: HttpRequest, context: dict[str, Any], message: str) -> HttpResponse:
    context |= {"message": message, "retry_url": request.get_full_path()}
    return render(request, f"{TEMPLATE}#more-error", context)


@account_view
@require_safe
def board_contacts(
    request: HttpRequest, account: ConnectedAccount, pipeline_id: int
) -> HttpResponse:
    """The names of the cards' contacts (``?c=<id>&c=…``), swapped into every card that
    shows one (out of band): one call per 100 contacts."""
    if not request.htmx:  # a fragment of the board
        return redirect("deals:board", account.slug, pipeline_id)
    ids = sorted(
        {int(v) for v in request.GET.getlist("c") if v.isascii() and v.isdigit() and len(v) < 19}
    )
    try:
        names = contact_names(client_for_account(account), ids[:MAX_NAMES])
    except ApiError:
        names = {}  # the cards keep "Contact #id", which links to the contact anyway
    return render(request, f"{TEMPLATE}#contact-names", {"names": names})


def _move_answer(
    request: HttpRequest, board_url: str, ok: bool, message: str, **extra: Any
) -> HttpResponse:
    """board.js (``Accept: application/json``) gets JSON (422 when nothing moved); a plain
    form post goes back to the board as it was filtered, with the message."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": ok, "message": message, **extra}, status=200 if ok else 422)
    (messages.success if ok else messages.error)(request, message)
    query = request.POST.get("query", "")
    return redirect(f"{board_url}?{query}" if query and "/" not in query else board_url)


@account_view
@require_POST
def move(
    request: HttpRequest, account: ConnectedAccount, pipeline_id: int, deal_id: int
) -> HttpResponse:
    """Move a deal to another stage of the board's pipeline: the stage is checked against
    the pipeline's stages, the deal read (one call) to check its pipeline and audit where it
    was, then moved (one call)."""
    board_url = reverse("deals:board", args=[account.slug, pipeline_id])

    def answer(ok: bool, message: str, **extra: Any) -> HttpResponse:
        return _move_answer(request, board_url, ok, message, **extra)

    try:
        client = client_for_account(account)
        pipeline = pipelines.get_pipeline(client, pipeline_id)
        target = pipeline.stage(int(request.POST.get("stage", "")))
    except (ValueError, OverflowError):
        return answer(False, "Choose a stage of this pipeline.")
    except ApiError as exc:
        return answer(False, f"Nothing was moved: {exc}")
    if target is None:
        return answer(False, "That stage is not in this pipeline: nothing moved.")
    if deal_id >= 2**63:  # no deal has such an id (the API's ids are 64-bit)
        return answer(False, "This deal no longer exists: nothing moved.")
    try:
        before = read_deal(client, deal_id)
        if before.pipeline_id != pipeline.id:
            return answer(False, "This deal is not on this board: nothing moved.")
        if before.stage_id == target.id:
            return answer(True, f"{before.title} is already in {target.title}.")
        moved = move_deal(client, deal_id, target.id)
    except NotFound:
        return answer(False, "This deal no longer exists: nothing moved.")
    except ValidationError as exc:
        reasons = "; ".join(m for ms in exc.field_errors.values() for m in ms) or str(exc)
        return answer(False, f"ActiveCampaign refused the move: {reasons}")
    except ApiError as exc:
        return answer(False, f"The move was not confirmed: {exc}")
    source = pipeline.stage(before.stage_id or 0)
    summary = f"Moved deal {before.title} from {source.title if source else '?'} to {target.title}"
    audit(request, "deal", deal_id, "move", before=before, after=moved, summary=summary)
    return answer(True, f"Moved {moved.title} to {target.title}.", stage=target.id)
