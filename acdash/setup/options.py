"""What an edit of a field's options asks for: which options are renamed or moved, removed
and added, and the options in their new order; checked against the options the API holds."""

from dataclasses import dataclass, field

from django import forms

from .families import FieldView, Option
from .field_forms import _option_errors


@dataclass
class OptionChange:
    option: Option
    value: str
    label: str
    order: int  # the new position, from 1


@dataclass
class OptionPlan:
    changed: list[OptionChange] = field(default_factory=list)  # renamed or moved
    removed: list[Option] = field(default_factory=list)
    added: list[OptionChange] = field(default_factory=list)  # option: a stand-in without key
    final: list[str] = field(default_factory=list)  # the values in their new order
    errors: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.changed or self.removed or self.added)


def plan_options(target: FieldView, formset: forms.BaseFormSet) -> OptionPlan:
    """The plan from a valid options formset (``errors`` says what is wrong with it)."""
    plan = OptionPlan()
    current = {o.key: o for o in target.options}
    rows: list[tuple[float, int, Option | None, str, str]] = []
    seen: set[str] = set()
    for position, form in enumerate(formset.forms):
        data = form.cleaned_data
        key, value = (data.get("key") or "").strip(), (data.get("value") or "").strip()
        label = (data.get("label") or "").strip() or value
        option = current.get(key) if key else None
        if key and (option is None or key in seen):
            plan.errors.append("An option was changed meanwhile: reload the page and try again.")
            continue
        seen.add(key)
        if option is not None and data.get("remove"):
            plan.removed.append(option)
            continue
        if not value:
            if option is not None:
                plan.errors.append(f"Give “{option.value}” a name, or tick Remove.")
            continue
        order = data.get("order")
        rows.append((order if order is not None else position + 1, position, option, value, label))
    # Options the form left out (a hand-made request) stay, after the others.
    for key, option in current.items():
        if key not in seen:
            rows.append((float("inf"), len(rows), option, option.value, option.label))
    rows.sort(key=lambda row: (row[0], row[1]))
    for new_position, (_, _, option, value, label) in enumerate(rows, start=1):
        plan.final.append(value)
        if option is None:
            plan.added.append(
                OptionChange(Option("", value, label, new_position), value, label, new_position)
            )
            continue
        # Positions become the orderids 1, 2, …: what is shown is what the API sorts by.
        if option.value != value or option.label != label or option.order != new_position:
            plan.changed.append(OptionChange(option, value, label, new_position))
    plan.errors += _option_errors(target.family, plan.final)
    if target.has_options and not plan.final:
        plan.errors.append(f"A {target.type} field needs at least one option.")
    return plan
