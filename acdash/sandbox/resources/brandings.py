"""Branding, ``/brandings``: the account's one branding record, created when first needed."""

from typing import Any

from .. import store
from ..models import SandboxRecord
from ..routing import Ctx, not_found
from .groups import admin_group
from .users import as_text, fail, flag_errors, owned_route, scalar_errors

BRANDING = "branding"

BRANDING_TEXT = ["siteName", "siteLogo", "siteLogoSmall", "headerTextValue", "headerHtmlValue"]
BRANDING_TEXT += ["footerTextValue", "footerHtmlValue"]
# ``links`` here is a branding attribute (show links in the footer), not a links object.
BRANDING_FLAGS = ["copyright", "version", "license", "links", "help"]
BRANDING_TEMPLATES = ["adminTemplateHtm", "adminTemplateCss", "publicTemplateHtm"]
BRANDING_TEMPLATES += ["publicTemplateCss"]
BRANDING_KEYS = ["groupid", *BRANDING_TEXT, *BRANDING_FLAGS, *BRANDING_TEMPLATES, "favicon", "id"]


def _branding(ctx: Ctx) -> SandboxRecord:
    """The account's one branding record, created with the API's defaults when missing."""
    branding = store.records(ctx.account, BRANDING).order_by("rid").first()
    if branding is None:
        data: dict[str, Any] = {
            "groupid": admin_group(ctx).id_str,
            "siteName": ctx.account.name,
            **dict.fromkeys(BRANDING_TEXT[1:], ""),
            **dict.fromkeys(BRANDING_FLAGS, "1"),
            **dict.fromkeys(BRANDING_TEMPLATES, ""),
            "favicon": None,
        }
        branding = store.create(ctx.account, BRANDING, data)
    return branding


@store.presenter(BRANDING)
def present_branding(ctx: Ctx, record: SandboxRecord) -> dict[str, Any]:
    return store.project({**record.data, "id": record.id_str}, BRANDING_KEYS)


def _get_branding(ctx: Ctx, rid: str) -> SandboxRecord:
    _branding(ctx)
    return store.get_or_404(ctx.account, BRANDING, rid, not_found("Branding", rid))


@owned_route("GET", "brandings", "List_brandings")
def list_brandings(ctx: Ctx):
    _branding(ctx)
    qs = store.records(ctx.account, BRANDING).order_by("rid")
    body, _ = store.paged(ctx, qs, "brandings", present_branding)
    return body


@owned_route("GET", "brandings/{id}", "Branding_getBranding")
def get_branding(ctx: Ctx, id: str):
    return {"branding": present_branding(ctx, _get_branding(ctx, id))}


@owned_route("PUT", "brandings/{id}", "Branding_updateExistingResource")
def update_branding(ctx: Ctx, id: str):
    branding = _get_branding(ctx, id)
    attrs = ctx.envelope("branding")
    writable = [*BRANDING_TEXT, *BRANDING_FLAGS, *BRANDING_TEMPLATES, "favicon"]
    fail(scalar_errors(attrs, writable))
    changes: dict[str, Any] = {name: as_text(attrs[name]) for name in writable if name in attrs}
    if "favicon" in attrs and attrs["favicon"] is None:
        changes["favicon"] = None
    fail(flag_errors(changes, BRANDING_FLAGS))
    store.update(branding, **changes)
    return {"branding": present_branding(ctx, branding)}
