"""Markup to plain text: HTML main-text extraction (trafilatura) and Markdown syntax removal.

Owns only the conversion; boilerplate lines left in the result are clean.py's, dates and outlets metadata.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    published: str | None = None  # from HTML metadata only (meta tags, JSON-LD, URL): never a guess from body text
    sitename: str | None = None
    url: str | None = None
    authors: list[str] | None = None


def html_to_text(html: str, url: str | None = None) -> Extracted | None:
    """The article's main text and metadata, or None when the page holds no article."""
    from trafilatura import bare_extraction

    doc = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        # Only structured metadata dates: htmldate's extensive search guesses from any date in the page.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return None
    text = (getattr(doc, "text", None) or "").strip()
    if not text:
        return None
    # trafilatura writes one paragraph per line; eventdesk separates paragraphs with a blank line.
    text = re.sub(r"\n+", "\n\n", text)
    author = getattr(doc, "author", None)
    return Extracted(
        text=text,
        title=getattr(doc, "title", None) or None,
        published=getattr(doc, "date", None) or None,
        sitename=getattr(doc, "sitename", None) or None,
        url=getattr(doc, "url", None) or url,
        authors=[a.strip() for a in author.split(";")] if author else None,
    )


_MD_RULES = [
    (re.compile(r"^```.*$", re.M), ""),  # code fences (their content stays)
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> their text
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.M), ""),  # rules
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"^\s{0,3}[-*+]\s+", re.M), ""),  # bullet markers
]
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$", re.M)


def markdown_to_text(md: str) -> tuple[str, str | None]:
    """Markdown -> (plain text, the first level-1 heading as title)."""
    title = None
    m = _MD_HEADING.search(md)
    if m and m.group(1) == "#":
        title = m.group(2)
    text = _MD_HEADING.sub(r"\2", md)
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text, title
