"""Tests of the ActiveCampaign emulator, over real HTTP."""


def assert_422(response, pointer: str, code: str) -> None:
    """A 422 whose first error has the API's four keys, ``code`` and ``pointer``."""
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert {"title", "detail", "code", "source"} <= set(error)
    assert error["code"] == code
    assert error["source"]["pointer"] == pointer
