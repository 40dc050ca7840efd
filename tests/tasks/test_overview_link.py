"""The overview card's overdue figure opens the account's task list filtered to overdue."""

import re


def test_the_overdue_figure_links_to_the_overdue_tasks(acme, admin_client):
    card = admin_client.get("/a/acme/card/").content.decode()
    link = re.search(r'<a href="([^"]+)" aria-label="(\d+) overdue deal tasks in Acme">', card)
    assert link, card
    assert link.group(1) == "/a/acme/tasks/?due=overdue"
    listed = admin_client.get(link.group(1)).content.decode()
    assert f"of {link.group(2)} task" in listed  # the same tasks the card counted
