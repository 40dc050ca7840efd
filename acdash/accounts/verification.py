"""Live check of an account URL and token before they are saved."""

from urllib.parse import urlsplit

from django.views.decorators.debug import sensitive_variables

from acdash.activecampaign import ApiError, AuthError, Client, NotFound, Unavailable, get_me

VERIFY_TIMEOUT = 10.0


@sensitive_variables()  # hides the token here and in every frame below (client, requests)
def verify_credentials(api_url: str, api_token: str) -> tuple[str, str] | None:
    """None if the API answers ``/users/me`` with this token, else (form field, message)."""
    host = urlsplit(api_url).netloc
    client = Client(api_url, api_token, read_timeout=VERIFY_TIMEOUT, max_attempts=2)
    try:
        get_me(client)
    except AuthError:
        return (
            "api_token",
            "ActiveCampaign refused this API token. Copy it again from Settings → Developer.",
        )
    except NotFound:
        return (
            "api_url",
            f"{host} answers, but not like an ActiveCampaign API (no /api/3/users/me).",
        )
    except Unavailable as exc:
        return "api_url", f"Could not reach {host}: {exc.message}. Check the URL and try again."
    except ApiError as exc:
        return "api_url", f"{host} does not behave like an ActiveCampaign API: {exc.message}"
    except (KeyError, TypeError):
        return "api_url", f"{host} answered, but not with an ActiveCampaign user."
    finally:
        client.close()
    return None
