"""Cleaning of plain-text page copies, measured on real pages: the article-extraction benchmark's 181 HTML pages
turned into what a user gets by saving or pasting a page as text (every visible line, menus and footers
included), then cleaned by eventdesk's text path (`ingest.article.build` on a .txt document).

Prints token precision, recall and F1 against `articleBody` for the raw page text and for the cleaned text.

    .venv/bin/python bench/cleaning.py
"""

from __future__ import annotations

import gzip
import json
import re
import sys

import lxml.html

from _common import prf, shared
from eventdesk import errors
from eventdesk.ingest.article import build
from eventdesk.ingest.outlets import OutletRegistry
from eventdesk.ingest.readers import RawDocument, decode

BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "figcaption",
    "blockquote",
    "ul",
    "ol",
    "table",
    "title",
    "dd",
    "dt",
    "main",
}


def page_as_text(html: str) -> str:
    """Visible text with a line break at every block element, as a browser's "save as text" gives."""
    root = lxml.html.fromstring(html)
    for bad in root.xpath("//script|//style|//noscript|//template|//svg|//head/meta|//head/link"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in BLOCKS:
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def main() -> int:
    data = shared("article_extraction")
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    registry = OutletRegistry.load()
    raw_scores, clean_scores = [], []
    for page_id, gold in sorted(truth.items()):
        html, _ = decode(gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()), page_id)
        text = page_as_text(html)
        raw_scores.append(prf(text, gold["articleBody"]))
        try:
            article, _ = build(RawDocument(page_id, None, "text", text, {}), registry)
            cleaned = article.text
        except errors.InputError:
            cleaned = ""
        clean_scores.append(prf(cleaned, gold["articleBody"]))
    for name, rows in (("page as text", raw_scores), ("cleaned", clean_scores)):
        p, r, f = (sum(x[i] for x in rows) / len(rows) for i in range(3))
        print(f"{name:14s} P {p:.4f}  R {r:.4f}  F1 {f:.4f}  ({len(rows)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
