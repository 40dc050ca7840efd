from django import template

register = template.Library()


@register.filter
def money(cents: int | None, currency: str = "") -> str:
    """12345, "usd" -> "USD 123.45" (the API keeps money in cents)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(int(cents)), 100)
    return f"{currency.upper()} {sign}{whole:,}.{fraction:02d}".strip()
