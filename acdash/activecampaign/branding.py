"""The account's branding (``/brandings``): site name, logos, header and footer texts, which
links the footer shows, and the admin/public templates.

``BRANDING_ATTRIBUTES`` maps each ``Branding`` field to its API attribute: ``update_branding``
takes the fields, and a ValidationError names the attributes (views map them back).
"""

from dataclasses import dataclass
from typing import Any

from .client import Client
from .paging import fetch_page
from .parsing import parse_int, parse_optional_int

BRANDING_ATTRIBUTES = {
    "site_name": "siteName",
    "site_logo": "siteLogo",
    "site_logo_small": "siteLogoSmall",
    "header_text": "headerTextValue",
    "header_html": "headerHtmlValue",
    "footer_text": "footerTextValue",
    "footer_html": "footerHtmlValue",
    "show_copyright": "copyright",
    "show_version": "version",
    "show_license": "license",
    "show_links": "links",
    "show_help": "help",
    "admin_template_html": "adminTemplateHtm",
    "admin_template_css": "adminTemplateCss",
    "public_template_html": "publicTemplateHtm",
    "public_template_css": "publicTemplateCss",
    "favicon": "favicon",
}
FLAGS = frozenset(name for name in BRANDING_ATTRIBUTES if name.startswith("show_"))


@dataclass(frozen=True, slots=True)
class Branding:
    id: int
    group_id: int | None
    site_name: str
    site_logo: str  # URLs; "" when unset
    site_logo_small: str
    header_text: str
    header_html: str
    footer_text: str
    footer_html: str
    show_copyright: bool
    show_version: bool
    show_license: bool
    show_links: bool
    show_help: bool
    admin_template_html: str
    admin_template_css: str
    public_template_html: str
    public_template_css: str
    favicon: str | None


def _branding(raw: dict[str, Any]) -> Branding:
    values: dict[str, Any] = {}
    for name, attribute in BRANDING_ATTRIBUTES.items():
        value = raw.get(attribute)
        if name in FLAGS:
            values[name] = parse_int(value) == 1
        elif name == "favicon":
            values[name] = None if value in (None, "") else str(value)
        else:
            values[name] = "" if value is None else str(value)
    return Branding(
        id=parse_int(raw.get("id")), group_id=parse_optional_int(raw.get("groupid")), **values
    )


def get_branding(client: Client) -> Branding:
    """The account's branding (accounts have one), in one call."""
    page = fetch_page(client, "/brandings", "brandings", limit=1)
    return _branding(page.items[0])


def update_branding(client: Client, *, branding_id: int | None = None, **changes: Any) -> Branding:
    """Change branding fields (``Branding``'s names, e.g. ``site_name="Acme"``).

    One call given ``branding_id`` (``Branding.id``), else two (it is looked up first).
    """
    unknown = changes.keys() - BRANDING_ATTRIBUTES.keys()
    if unknown:
        raise TypeError(f"unknown branding fields: {', '.join(sorted(unknown))}")
    attributes: dict[str, Any] = {}
    for name, value in changes.items():
        if name in FLAGS:
            value = "1" if value else "0"
        attributes[BRANDING_ATTRIBUTES[name]] = value
    if branding_id is None:
        branding_id = get_branding(client).id
    body = client.put(f"/brandings/{branding_id}", {"branding": attributes})
    return _branding(body["branding"])
