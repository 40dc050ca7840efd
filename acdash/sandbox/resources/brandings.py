"""Branding, ``/brandings``: the account's one branding record, created when first needed."""

from typing import Any

from .. import engine
from ..engine import Family, serve
from ..routing import Ctx
from .groups import admin_group
from .users import current_user, fail, flag_errors

# ``links`` here is a branding attribute (show links in the footer), not a links object.
FLAGS = ["copyright", "version", "license", "links", "help"]
TEXTS = ["siteLogo", "siteLogoSmall", "headerTextValue", "headerHtmlValue", "footerTextValue"]
TEXTS += ["footerHtmlValue"]


def _ensure(ctx: Ctx) -> None:
    """The owner, and the account's one branding with the API's defaults, exist."""
    current_user(ctx)
    if not engine.records(ctx, BRANDINGS).exists():
        defaults = {**dict.fromkeys(TEXTS, ""), **dict.fromkeys(FLAGS, "1")}
        data = {"groupid": admin_group(ctx).id_str, "siteName": ctx.account.name, **defaults}
        engine.insert(ctx, BRANDINGS, data)


def _flags(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    fail(flag_errors(changes, FLAGS))
    return changes


BRANDINGS = serve(
    Family(
        kind="branding",
        singular="branding",
        plural="brandings",
        entity="Branding",
        ops={"list": "/brandings", "read": "/brandings/{id}", "update": "/brandings/{id}"},
        fixed=("groupid",),
        linked=False,
        prepare=_ensure,
        validate=_flags,
    )
)
