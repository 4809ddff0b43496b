"""RawDocument -> Article: conversion, cleaning and metadata decisions in one place.

Runs in the worker (trafilatura is the costly part), so engines ship raw documents, not articles.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from eventdesk import errors
from eventdesk.ingest import clean as cleaning
from eventdesk.ingest import metadata
from eventdesk.ingest.formats import html_to_text, markdown_to_text
from eventdesk.ingest.outlets import Outlet, OutletRegistry
from eventdesk.ingest.readers import RawDocument
from eventdesk.model import Article, Problem

ID_LENGTH = 20


def normalise_text(text: str) -> str:
    """The form content hashes are taken of: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def article_id(text: str, outlet: str | None) -> str:
    """Stable id: the same body from the same outlet is the same article; another outlet's copy is its own
    record (marked as a duplicate), so coverage comparison still sees that the outlet ran it."""
    key = (outlet or "").casefold() + "\x1f" + normalise_text(text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_LENGTH]


@dataclass(slots=True)
class _Outlet:
    name: str
    source: str
    entry: Outlet | None


def _decide_outlet(
    raw: RawDocument, cleaned: cleaning.Cleaned, sitename: str | None, url: str | None, reg: OutletRegistry
) -> _Outlet | None:
    given = raw.fields.get("outlet")
    if given:
        entry = reg.by_name(given)  # "reuters" and "Reuters" are one outlet: the registry's name wins
        return _Outlet(entry.name if entry else given, "record", entry)
    for name in cleaned.source_names:
        entry = reg.by_name(name) or reg.find_in_text(name)
        if entry:
            return _Outlet(entry.name, "source_line", entry)
    if url and (entry := reg.by_domain(url)):
        return _Outlet(entry.name, "url", entry)
    if sitename:
        return _Outlet(sitename, "html_meta", reg.by_name(sitename))
    for line in cleaned.header_lines:
        if entry := _site_name(line, reg):
            return _Outlet(entry.name, "page_header", entry)
    if cleaned.source_names:
        return _Outlet(cleaned.source_names[0], "source_line", None)
    agency = cleaned.dateline.agency if cleaned.dateline else None
    if agency:
        entry = reg.by_name(agency)
        return _Outlet(entry.name if entry else agency, "dateline", entry)
    return None


def _decide_published(
    raw: RawDocument, html_date: str | None, cleaned: cleaning.Cleaned, url: str | None, text: str
) -> tuple[str | None, str, str | None, list[Problem]]:
    """(published, certainty, note, problems): the first clue that states a full date wins."""
    problems: list[Problem] = []
    stated: list[tuple[str | None, str]] = [
        (raw.fields.get("published"), "given in the record"),
        (html_date, "HTML metadata"),
        *((line, f"header line {line!r}") for line in cleaned.date_lines),
    ]
    dl = cleaned.dateline
    if dl and dl.date_text:
        stated.append((dl.date_text, f"dateline {dl.text!r}"))
    for value, how in stated:
        if not value:
            continue
        partial = metadata.parse_date(value)
        if partial and (day := partial.full()):
            return day.isoformat(), "stated", how, problems
        if how == "given in the record":
            problems.append(errors.problem("W106", value=value))
    if day := metadata.date_from_url(url):
        return day.isoformat(), "stated", f"URL path {url}", problems
    # A month and day without a year (dateline or header line) plus a weekday named in the text.
    partials = [(line, metadata.parse_date(line)) for line in cleaned.date_lines]
    if dl and dl.date_text:
        partials.append((dl.text, metadata.parse_date(dl.date_text)))
    for hint, partial in partials:
        if partial and partial.year is None and (found := metadata.infer_year(partial, text, hint)):
            day, note = found
            return day.isoformat(), "inferred", note, problems
    return None, "unknown", None, problems


_TITLE_SPACE = re.compile(r"\s+")
_SITE_PARTS = re.compile(r"\s+[|—–:-]\s+|\s*\|\s*")
SITE_LINE_MAX_WORDS = 8


def _site_name(line: str, reg: OutletRegistry) -> Outlet | None:
    """The outlet a short site-name line names ("SNBA | Syrian National Broadcasting Authority")."""
    if len(line.split()) > SITE_LINE_MAX_WORDS:
        return None
    for part in _SITE_PARTS.split(line):
        if part and (entry := reg.by_name(part.strip())):
            return entry
    return None


def build(raw: RawDocument, outlets: OutletRegistry) -> tuple[Article, list[Problem]]:
    """Convert, clean and decide metadata. Raises InputError when no article text is left."""
    problems = list(raw.problems)
    title = raw.fields.get("title")
    url = raw.fields.get("url")
    html_date = sitename = None
    authors: list[str] = []
    page = True
    if raw.kind == "html":
        extracted = html_to_text(raw.content, url)
        if extracted is None:
            raise errors.InputError(raw.source, "E005")
        body, page = extracted.text, False  # trafilatura has already cut the page: keep its short lines
        title = title or extracted.title
        url = url or extracted.url
        html_date, sitename = extracted.published, extracted.sitename
        authors = extracted.authors or []
    elif raw.kind == "markdown":
        body, md_title = markdown_to_text(raw.content)
        title = title or md_title
    else:
        body = raw.content
    cleaned = cleaning.clean(body, title, page=page, is_outlet=lambda line: _site_name(line, outlets) is not None)
    if not cleaned.text.strip():
        # A page whose only "text" was a menu has no article; plain text that was all boilerplate is E012.
        raise errors.InputError(raw.source, "E005" if raw.kind == "html" else "E012")
    title = _TITLE_SPACE.sub(" ", cleaned.title).strip() if cleaned.title else None
    url = url or cleaned.url
    outlet = _decide_outlet(raw, cleaned, sitename, url, outlets)
    published, certainty, note, date_problems = _decide_published(raw, html_date, cleaned, url, cleaned.text)
    problems.extend(date_problems)
    entry = outlet.entry if outlet else None
    text = cleaned.text
    article = Article(
        id=raw.fields.get("id") or article_id(text, outlet.name if outlet else None),
        text=text,
        source_path=raw.source_path,
        title=title,
        outlet=outlet.name if outlet else None,
        outlet_country=entry.country if entry else None,
        url=url,
        published=published,
        published_certainty=certainty,  # type: ignore[arg-type]
        published_note=note,
        outlet_source=outlet.source if outlet else None,
        outlet_ownership=entry.ownership if entry else None,
        authors=authors or cleaned.authors,
        dateline=cleaned.dateline,
        content_hash=content_hash(text),
    )
    return article, problems
