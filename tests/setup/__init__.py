"""Helpers of the setup screen tests: what a page's form would send as it stands."""

from html.parser import HTMLParser


class _FormValues(HTMLParser):
    """The values a browser would submit from the first POST form of the page's content."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._form = -1  # 0 in <main>, 1 inside its first post form, 2 after it
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "main" and self._form == -1:
            self._form = 0
        if tag == "form" and self._form == 0 and a.get("method", "").lower() == "post":
            self._form = 1
        if self._form != 1:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") != "submit":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.values.setdefault(name, []).append(a.get("value", default))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form == 1:
            self._form = 2
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that opens a textarea's content.
            text = self.values[self._textarea][0]
            self.values[self._textarea][0] = text.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][0] += data


def form_values(html: str) -> dict[str, list[str] | str]:
    """The first POST form's values: one value as a str, several as a list."""
    parser = _FormValues()
    parser.feed(html)
    return {k: v[0] if len(v) == 1 else v for k, v in parser.values.items()}
