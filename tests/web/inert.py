"""What "inert" means for a page we serve, checked on the parsed markup rather than by regex on text."""

from __future__ import annotations

from html.parser import HTMLParser

OUR_SCRIPTS = {"/static/app.js"}
FORBIDDEN_TAGS = {"img", "svg", "iframe", "frame", "object", "embed", "base", "video", "audio", "form-action"}
SAFE_LINK_PREFIXES = ("/", "?", "#", "http://", "https://")


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src") not in OUR_SCRIPTS:
            self.problems.append(f"script {values}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and not (value or "").startswith(SAFE_LINK_PREFIXES):
                self.problems.append(f"{tag}[{name}={value!r}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")


def live_markup(page: str) -> list[str]:
    """Everything in ``page`` that could run, load or navigate somewhere it should not."""
    auditor = _Auditor()
    auditor.feed(page)
    auditor.close()
    return auditor.problems
