"""The layout every page shares: the switcher marks the current account, htmx is set up so
that a failed request never replaces the page, and the side navigation has a menu button."""

from .test_overview import accounts  # noqa: F401  (the two seeded, connected accounts)


def test_the_switcher_marks_the_current_account(accounts, admin_client):  # noqa: F811
    inside = admin_client.get("/a/south/contacts/").content.decode()
    assert (
        '<a role="menuitem" tabindex="-1" href="/a/south/contacts/" aria-current="true">' in inside
    )
    assert '<a role="menuitem" tabindex="-1" href="/a/north/contacts/">' in inside
    overview = admin_client.get("/").content.decode()
    assert 'href="/" aria-current="true">All accounts</a>' in overview


def test_htmx_has_a_timeout_and_no_script_that_swaps_error_pages_in(accounts, admin_client):  # noqa: F811
    html = admin_client.get("/").content.decode()
    config = '{"timeout": 15000, "allowEval": false, "includeIndicatorStyles": false}'
    assert f"""<meta name="htmx-config" content='{config}'>""" in html
    # django-htmx's debug script would put a DEBUG error page in place of the whole page.
    assert "django-htmx.js" not in html and "htmx-2.min.js" in html
    assert 'aria-keyshortcuts="/"' in html  # the global search, focused by "/"


def test_inside_an_account_the_side_navigation_has_a_menu_button(accounts, admin_client):  # noqa: F811
    html = admin_client.get("/a/north/contacts/").content.decode()
    assert 'aria-controls="sidenav-links">Menu</button>' in html
    assert '<ul id="sidenav-links">' in html
    assert 'id="toasts" class="toasts" aria-live="polite"' in html
