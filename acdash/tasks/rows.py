"""My tasks' rows as HTML, built in Python: a staff member of six accounts may see hundreds
of tasks, each with three links and (for editors) a completion form; as a template partial
a row cost ~0.3 ms, most of the page's server time. ``task_row`` is also the answer to
completing one in place (done, or with why not)."""

from dataclasses import dataclass
from html import escape

from django.forms import Form
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from acdash.accounts.models import ConnectedAccount
from acdash.activecampaign import tasks as task_api
from acdash.deals.cards import url_around_id


@dataclass
class Row:
    task: task_api.Task
    kind: str
    outcomes: list[task_api.TaskOutcome]
    related_name: str = ""


@dataclass(frozen=True)
class RowContext:
    """What every row of one account shares."""

    account: ConnectedAccount
    can_edit: bool
    csrf_token: str

    def urls(self) -> dict[str, tuple[str, str]]:
        slug = self.account.slug
        return {
            "edit": url_around_id("tasks:edit", slug),
            "complete": url_around_id("tasks:complete", slug),
            "contact": url_around_id("contacts:detail", slug),
            "deal": url_around_id("deals:detail", slug),
            "list": (reverse("tasks:list", args=[slug]), ""),
        }


def task_rows(rows: list[Row], context: RowContext) -> list[SafeString]:
    """Each open task's ``<li class="my-task">``."""
    urls = context.urls()
    return [task_row(row, context, urls) for row in rows]


def task_row(
    row: Row,
    context: RowContext,
    urls: dict[str, tuple[str, str]] | None = None,
    *,
    summary: str = "",
    form: Form | None = None,
) -> SafeString:
    urls = urls or context.urls()
    task: task_api.Task = row.task
    slug, tid = escape(context.account.slug), str(task.id)

    def link(kind: str, record_id: object) -> str:
        before, after = urls[kind]
        return escape(f"{before}{record_id}{after}")

    title = task.title or row.kind
    due = timezone.localtime(task.due).strftime("%a %Y-%m-%d %H:%M") if task.due else ""
    if not task.related_id:
        related = "no deal or contact"
    else:
        kind = "contact" if task.related_type == task_api.RelatedType.CONTACT else "deal"
        shown = row.related_name or f"{kind} {task.related_id}"
        related = f'<a href="{link(kind, task.related_id)}">{escape(shown)}</a>'
    html = [
        f'<li class="my-task{" is-done" if task.done else ""}" id="my-task-{slug}-{tid}">',
        f'<div class="my-task-main"><a href="{link("edit", tid)}">{escape(title or "Task")}</a>'
        f' <span class="muted small">{due}{f" · {escape(row.kind)}" if row.kind else ""} · '
        f"{related}</span></div>",
    ]
    if task.done:
        html.append(
            '<p class="my-task-done" role="status" tabindex="-1" data-focus-after-swap>'
            f"✓ {escape(summary or 'Completed')}</p>"
        )
    elif context.can_edit:
        html.append(_complete_form(row, context, urls, link("complete", tid), form))
    html.append("</li>")
    return mark_safe("".join(html))  # every value above is escaped


def _complete_form(
    row: Row, context: RowContext, urls: dict[str, tuple[str, str]], action: str, form: Form | None
) -> str:
    task: task_api.Task = row.task
    field = f"outcome-{escape(context.account.slug)}-{task.id}"
    html = [
        f'<form class="my-task-complete" method="post" action="{action}" hx-post="{action}" '
        'hx-target="closest li" hx-swap="outerHTML" hx-indicator="#loading">',
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(context.csrf_token)}">',
        f'<input type="hidden" name="next" value="{escape(urls["list"][0])}">',
    ]
    if row.outcomes:
        options = "".join(
            f'<option value="{o.id}">{escape(o.title)}</option>' for o in row.outcomes
        )
        html.append(
            f'<label class="visually-hidden" for="{field}">Outcome</label> '
            f'<select name="outcome" id="{field}"><option value="">No outcome</option>'
            f"{options}</select>"
        )
    name = escape(task.title or row.kind or "task")
    html += [
        '<input type="hidden" name="outcome_note" value="">',
        f' <button class="btn btn-small" type="submit" '
        f'aria-label="Complete {name} in {escape(context.account.name)}">Complete</button>',
    ]
    if form is not None and form.errors:
        errors = "".join(str(e) for e in form.errors.values())  # ErrorLists render as HTML
        html.append(f'<div role="alert" data-focus-after-swap tabindex="-1">{errors}</div>')
    html.append("</form>")
    return "".join(html)
