"""Cross-account search: a full name finds the person, each account's group says how many
matched and links to that account's contact list with the same search; the accounts without
a match are summed up in one line."""

import pytest
import requests

from acdash.accounts.clients import client_for_account
from acdash.accounts.models import Membership
from acdash.activecampaign import contacts, count_api_calls
from acdash.sandbox.models import SandboxAccount

from .test_overview import accounts  # noqa: F401  (the two seeded, connected accounts)


@pytest.fixture
def benjamin(accounts):  # noqa: F811
    """Benjamin Stewart in the north account, among people who share one of his names."""
    north = client_for_account(accounts[0])
    for first, last in (("Benjamin", "Franklin"), ("Olivia", "Stewart"), ("Ben", "Stewartson")):
        email = f"{first}.{last}@example.org"
        contacts.create_contact(north, email, first_name=first, last_name=last)
    return contacts.create_contact(
        north, "b.stewart@example.org", first_name="Benjamin", last_name="Stewart"
    )


def test_the_sandbox_matches_the_whole_search_value_against_each_attribute(benjamin, accounts):  # noqa: F811
    sandbox = SandboxAccount.objects.get(slug="north")
    base = f"{accounts[0].api_url}/api/3/contacts"
    headers = {"Api-Token": sandbox.api_token}

    def found(value: str) -> list[str]:
        body = requests.get(base, params={"search": value}, headers=headers, timeout=10).json()
        return sorted(c["email"].lower() for c in body["contacts"])

    assert found("Benjamin Stewart") == []  # no one attribute holds both words
    assert "b.stewart@example.org" in found("Benjamin")
    assert found("STEWART") == [
        "b.stewart@example.org",
        "ben.stewartson@example.org",
        "olivia.stewart@example.org",
    ]


def test_a_full_name_finds_the_person_and_only_them(benjamin, admin_client):
    html = admin_client.get("/search/", {"q": "Benjamin Stewart"}).content.decode()
    assert f'href="/a/north/contacts/{benjamin.id}/"' in html
    assert "b.stewart@example.org" in html
    for other in ("Benjamin Franklin", "Olivia Stewart", "Ben Stewartson"):
        assert other not in html
    assert "1 contact matching “Benjamin Stewart”" in html


def test_words_match_in_any_order_and_any_attribute(benjamin, admin_client):
    html = admin_client.get("/search/", {"q": "stewart benj"}).content.decode()
    assert f'href="/a/north/contacts/{benjamin.id}/"' in html
    assert "Olivia Stewart" not in html
    html = admin_client.get("/search/", {"q": "Benjamin example.org"}).content.decode()
    assert "Benjamin Stewart" in html and "Benjamin Franklin" in html


def test_a_search_of_several_words_costs_a_bounded_number_of_calls(benjamin, admin_client):
    with count_api_calls() as calls:
        admin_client.get("/search/", {"q": "Benjamin Stewart"})
    # Per account: at most SEARCH_PAGES candidate pages, plus organization names once.
    assert calls.count <= 2 * (contacts.SEARCH_PAGES + 1)


def test_each_group_says_showing_10_of_n_and_links_to_the_account_list(accounts, admin_client):  # noqa: F811
    north = client_for_account(accounts[0])
    for number in range(12):
        contacts.create_contact(
            north, f"walker{number}@example.org", first_name="Pat", last_name=f"Walker{number}"
        )
    html = admin_client.get("/search/", {"q": "Pat Walker"}).content.decode()
    assert "12 contacts matching “Pat Walker”" in html
    assert "showing 10 of 12" in html
    assert 'href="/a/north/contacts/?q=Pat%20Walker"' in html
    # The south account has no match: no count, no link.
    assert 'href="/a/south/contacts/?q=' not in html
    # The link leads to the same people in the account's own list.
    listing = admin_client.get("/a/north/contacts/", {"q": "Pat Walker"}).content.decode()
    assert all(f"walker{n}@example.org" in listing for n in range(12))
    one_word = admin_client.get("/search/", {"q": "walker"}).content.decode()
    assert "showing 10 of 12" in one_word and 'href="/a/north/contacts/?q=walker"' in one_word


def test_results_show_the_organization(accounts, admin_client):  # noqa: F811
    sandbox = SandboxAccount.objects.get(slug="south")
    member = sandbox.records.filter(kind="accountContact").order_by("rid").first()
    person = sandbox.records.get(kind="contact", rid=member.parent)
    organization = sandbox.records.get(kind="account", rid=int(member.key)).data["name"]
    html = admin_client.get("/search/", {"q": person.key}).content.decode()
    row = html[html.index("<tbody>") :]
    assert person.key in row[: row.index("</tr>")]
    assert organization in row[: row.index("</tr>")]


def test_search_finds_a_person_in_every_account_grouped_by_account(accounts, admin_client):  # noqa: F811
    north_email = SandboxAccount.objects.get(slug="north").records.filter(kind="contact")[0].key
    html = admin_client.get("/search/", {"q": north_email}).content.decode()
    group = html.index('aria-label="North"')
    assert group < html.index(north_email, group)
    assert 'aria-label="South"' not in html  # no empty group for an account without a match
    assert "No match in South." in html
    contact_id = SandboxAccount.objects.get(slug="north").records.get(key=north_email).rid
    assert f'href="/a/north/contacts/{contact_id}/"' in html


def test_search_only_looks_in_accounts_the_user_may_see(accounts, client, django_user_model):  # noqa: F811
    user = django_user_model.objects.create_user("sam", password="pw")
    Membership.objects.create(user=user, account=accounts[1], role="viewer")
    client.force_login(user)
    north_email = SandboxAccount.objects.get(slug="north").records.filter(kind="contact")[0].key
    with count_api_calls() as calls:
        html = client.get("/search/", {"q": north_email}).content.decode()
    assert "North" not in html and calls.count == 1
    assert "0 contacts matching" in html and "No match in South." in html


def test_a_stranger_searches_nothing(accounts, client, django_user_model):  # noqa: F811
    client.force_login(django_user_model.objects.create_user("stranger", password="pw"))
    with count_api_calls() as calls:
        html = client.get("/search/", {"q": "anyone"}).content.decode()
    assert calls.count == 0 and "You have no accounts to search." in html
