"""The board's deal cards as HTML, built in Python: a board shows up to 20 cards a column,
each with three links, its facts and (for editors) a "Move to…" form with every stage; as
template partials they were most of a board's server time (~0.7 ms a card). What the cards
share (URLs, the stages' options, the CSRF token) is made once per page, and ``html.escape``
is Django's ``escape`` without its lazy-string wrapper (the same text, for less)."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from acdash.activecampaign.deals import Deal
from acdash.activecampaign.pipelines import Pipeline
from acdash.activecampaign.users import User
from acdash.overview.templatetags.money import money

PLACEHOLDER_ID = 987654321  # stands for a deal's or contact's id in a reversed URL


def url_around_id(name: str, *args: object) -> tuple[str, str]:
    """A URL's text before and after the id it ends with: one ``reverse`` per page, not one
    per row (the board's cards, My tasks' rows)."""
    url = reverse(name, args=[*args, PLACEHOLDER_ID])
    before, _, after = url.rpartition(str(PLACEHOLDER_ID))
    return before, after


@dataclass(frozen=True)
class CardContext:
    """What every card of one board (or one "Show more" page) shares: one per page."""

    account_slug: str
    pipeline: Pipeline
    can_edit: bool
    query: str
    csrf_token: str
    now: datetime
    focus_first: bool = False

    @cached_property
    def urls(self) -> dict[str, tuple[str, str]]:
        return {
            "deal": url_around_id("deals:detail", self.account_slug),
            "contact": url_around_id("contacts:detail", self.account_slug),
            "move": url_around_id("deals:move_deal", self.account_slug, self.pipeline.id),
        }

    @cached_property
    def hidden_inputs(self) -> str:
        """The move form's CSRF token and the filters to return to."""
        return (
            '<input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{escape(self.csrf_token)}">'
            f'<input type="hidden" name="query" value="{escape(self.query)}">'
        )

    def move_options(self, stage_id: int | None) -> str:
        """The "Move to…" options, the deal's own stage selected and disabled: one string
        per stage and page, however many cards share it."""
        options = self._move_options
        return options.get(stage_id, options[None])

    @cached_property
    def _move_options(self) -> dict[int | None, str]:
        stages = [None, *(s.id for s in self.pipeline.stages)]
        return {stage_id: self._options_html(stage_id) for stage_id in stages}

    def _options_html(self, selected: int | None) -> str:
        return "".join(
            f'<option value="{s.id}"{" selected disabled" if s.id == selected else ""}>'
            f"{escape(s.title)}</option>"
            for s in self.pipeline.stages
        )


def cards_html(cards: list[tuple[Deal, User | None, str, str]], context: CardContext) -> SafeString:
    """Each (deal, owner, status label, contact name) as its ``<li class="deal-card">``, in
    one string: a template then renders a column's cards as one value, not one per card."""
    return mark_safe(  # every card escapes its values
        "".join(
            _card(deal, owner, status, name, context, first=n == 0)
            for n, (deal, owner, status, name) in enumerate(cards)
        )
    )


def _card(
    deal: Deal,
    owner: User | None,
    status: str,
    contact_name: str,
    context: CardContext,
    *,
    first: bool,
) -> str:
    urls = context.urls
    did = str(deal.id)
    link = f"{urls['deal'][0]}{did}{urls['deal'][1]}"
    focus = " data-focus-after-swap" if context.focus_first and first else ""
    draggable = ' draggable="true"' if context.can_edit else ""
    html = [
        f'<li class="deal-card" id="deal-{did}" data-deal-id="{did}" '
        f'data-value-cents="{deal.value_cents}" data-currency="{escape(deal.currency)}"'
        f"{draggable}>",
        f'<a class="deal-title" href="{escape(link)}"{focus}>'
        f"{escape(deal.title or '(untitled deal)')}</a>",
        f'<div class="deal-line"><span class="badge deal-status deal-status-'
        f'{escape(status.lower())}">{escape(status)}</span>'
        f' <span class="deal-value num">{escape(money(deal.value_cents, deal.currency))}</span>'
        "</div>",
        '<dl class="deal-facts small">',
    ]
    if deal.contact_id:
        cid = str(deal.contact_id)
        href = escape(f"{urls['contact'][0]}{cid}{urls['contact'][1]}")
        shown = escape(contact_name) if contact_name else f"Contact #{cid}"
        html.append(
            f'<dt>Contact</dt><dd><a class="deal-contact deal-contact-{cid}" href="{href}">'
            f"{shown}</a></dd>"
        )
    html.append(
        f'<dt>Owner</dt><dd class="deal-owner">{escape(owner.name if owner else "") or "—"}</dd>'
    )
    if due := deal.next_task_due:
        late = due < context.now
        html.append(
            f'<dt>Next task</dt><dd class="deal-due{" overdue" if late else ""}">'
            f'<time datetime="{due.isoformat()}">'
            f"{timezone.localtime(due).strftime('%Y-%m-%d %H:%M')}</time>"
            f"{' (overdue)' if late else ''}</dd>"
        )
    html.append("</dl>")
    if context.can_edit:
        action = escape(f"{urls['move'][0]}{did}{urls['move'][1]}")
        html.append(
            f'<form class="move-form" method="post" action="{action}">{context.hidden_inputs}'
            f'<label class="small muted" for="move-{did}">Move to…</label> '
            f'<select id="move-{did}" name="stage">{context.move_options(deal.stage_id)}</select>'
            ' <button class="btn btn-secondary btn-small">Move</button></form>'
        )
    html.append("</li>")
    return "".join(html)  # every value above is escaped
