"""Who a request belongs to (acdash.accounts.backends.UserBackend): a signed-in user stays
signed in, and is signed out at the next request once deactivated, deleted or given a
new password elsewhere."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in() -> tuple[Client, object]:
    user = get_user_model().objects.create_user("rep", "rep@example.com", "pw-0123456789")
    browser = Client()
    answer = browser.post(reverse("login"), {"username": "rep", "password": "pw-0123456789"})
    assert answer.status_code == 302
    return browser, user


def shows_my_tasks(browser: Client) -> bool:
    answer = browser.get(reverse("tasks:mine"))
    return answer.status_code == 200 and b"rep" in answer.content


def test_a_signed_in_user_stays_signed_in(signed_in):
    browser, _ = signed_in
    assert shows_my_tasks(browser)
    assert shows_my_tasks(browser)


def test_a_deactivated_user_is_signed_out_at_the_next_request(signed_in):
    browser, user = signed_in
    user.is_active = False
    user.save()
    answer = browser.get(reverse("tasks:mine"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_a_deleted_user_is_signed_out(signed_in):
    browser, user = signed_in
    user.delete()
    assert browser.get(reverse("tasks:mine")).status_code == 302


def test_a_password_changed_elsewhere_signs_this_session_out(signed_in):
    browser, user = signed_in
    user.set_password("another-pw-0123456789")
    user.save()
    assert browser.get(reverse("tasks:mine")).status_code == 302
