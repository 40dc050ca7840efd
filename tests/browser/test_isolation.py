"""The shared Chromium (conftest.py) hands every test a browser with no context open: what
an earlier test in this process opened (logged-in pages, cookies, route handlers) was
closed after it, however it ended."""


def test_a_test_starts_with_no_context_and_no_cookie_of_an_earlier_one(chromium):
    assert chromium.is_connected() and chromium.contexts == []
    context = chromium.new_context()
    assert context.cookies() == []
    # Left open on purpose: the fixture closes it, so the next test starts clean.
    context.add_cookies([{"name": "sessionid", "value": "left", "url": "http://localhost"}])
