"""The form of one API operation, generated from its reference entry."""

from typing import Any

from django import forms

from acdash.activecampaign import console
from acdash.activecampaign.console import Operation, Prepared


class OperationForm(forms.Form):
    """One field per path and query parameter (``path:<name>``, ``query:<name>``) and, for
    operations with a body, a JSON textarea pre-filled with the reference's example.
    Valid means ``console.prepare`` accepted it: ``prepared`` is then ready to send."""

    def __init__(self, operation: Operation, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "param-%s")
        super().__init__(*args, **kwargs)
        self.operation = operation
        self.prepared: Prepared | None = None
        for param in operation.params:
            help_text = " · ".join(
                part
                for part in (
                    param.location,
                    param.type,
                    "required" if param.required else "optional",
                    f"default {param.default}" if param.default else "",
                    param.description,
                )
                if part
            )
            self.fields[f"{param.location}:{param.name}"] = forms.CharField(
                label=param.name, required=False, strip=False, help_text=help_text
            )
        if operation.has_body:
            self.fields["body"] = forms.CharField(
                label="JSON body",
                required=False,
                strip=False,
                initial=operation.example_text(),
                widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
                help_text="Pre-filled with the reference's request example.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values = {
            where: {
                p.name: str(data.get(f"{where}:{p.name}") or "")
                for p in self.operation.params
                if p.location == where
            }
            for where in ("path", "query")
        }
        try:
            self.prepared = console.prepare(
                self.operation, values["path"], values["query"], str(data.get("body") or "")
            )
        except console.BadInput as exc:
            for name, message in exc.errors.items():
                self.add_error(name if name in self.fields else None, message)
        return data
