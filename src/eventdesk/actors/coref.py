"""In-article coreference for actors: later mentions that point back at an earlier, fuller one.

Owns two things: `link` (run by the annotator) copies name, country and sector from an earlier mention to
a later surname ("Ryabkov" -> "Sergei Ryabkov") or definite role noun phrase ("the deputy minister",
"the diplomat" -> the last person named with a compatible role); and `resolve_in_article`, which the quotes
stage calls to find who "he" or "the diplomat" at a character offset is. Rules only, no model: a link is
made only when one earlier mention fits, never guessed across articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventdesk.model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from eventdesk.actors.resolve import Resolution

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
GROUP_PRONOUNS = {"they", "them", "their", "it", "its"}
DEFINITE = {"the", "this", "that"}
# A role noun phrase links back only this far (characters): a paragraph or two, not the whole article.
MAX_LINK_DISTANCE = 3000
# Nouns that can stand for any named person of their sector ("the diplomat" after "Ambassador X"); other
# role nouns link only to a mention whose title holds the same word ("the minister" <- "Foreign Minister X").
GENERIC_PERSON_NOUNS = {"diplomat", "official", "envoy", "politician", "spokesman", "spokeswoman", "officer"}


@dataclass(slots=True)
class Mention:
    """An actor mention with what the annotator knows about it while linking."""

    actor: Actor
    resolution: Resolution
    person: bool  # a PERSON entity, or resolved to a known person
    definite_role: bool  # "the deputy minister": a role noun phrase with no name of its own
    head: str = ""  # the head noun of a role noun phrase, lower case
    # An unknown proper name the parser did not call a person ("Petrova" tagged GPE): kept only if it is
    # the surname of a person named earlier.
    tentative: bool = False


def _surname_key(name: str | None) -> str | None:
    parts = name.split() if name else []
    return parts[-1].lower() if parts else None


def link(mentions: list[Mention]) -> list[Mention]:
    """Fill later mentions from earlier ones, in text order (mutates the actors); returns the mentions
    kept (tentative ones that link to nobody are dropped)."""
    people: list[Mention] = []
    kept: list[Mention] = []
    for m in mentions:
        a = m.actor
        if m.tentative:
            earlier = _match_name(people, a.name or "")
            if earlier is None:
                continue
            _copy(earlier.actor, a)
            people.append(m)
        elif m.person and a.name:
            # A surname reading was named by the knowledge base: match the surname the text wrote.
            earlier = _match_name(people, a.text if _surname_reading(m.resolution) else a.name)
            # A surname read as a namesake in office ("Haddad" -> a Brazilian minister) is weaker than the
            # full name this article gave earlier ("Karim Haddad"), even when that person is unknown.
            if earlier is not None and (
                a.country is None or a.country == earlier.actor.country or _surname_reading(m.resolution)
            ):
                _copy(earlier.actor, a)
            people.append(m)
        elif m.definite_role:
            earlier = _match_role(people, m)
            if earlier is not None:
                _copy(earlier.actor, a)
        kept.append(m)
    return kept


def _surname_reading(res: Resolution) -> bool:
    """The resolver named someone from a surname alone (a namesake in office, or a title with a surname)."""
    source = res.source or ""
    return "(surname only" in source or "(title and surname" in source


def _match_name(people: list[Mention], name: str) -> Mention | None:
    """An earlier person whose full name ends with this (sur)name; None if several different people do."""
    key = _surname_key(name)
    hits = [
        p
        for p in people
        if p.actor.name and len(p.actor.name.split()) > len(name.split()) and _surname_key(p.actor.name) == key
    ]
    distinct = {p.actor.name for p in hits}
    return hits[-1] if len(distinct) == 1 else None


def _match_role(people: list[Mention], m: Mention) -> Mention | None:
    """The last named person before this role noun phrase whose sector fits it (nearby only)."""
    want = m.resolution.sector
    for p in reversed(people):
        if m.actor.start - p.actor.end > MAX_LINK_DISTANCE:
            return None
        if not p.actor.name or len(p.actor.name.split()) < 2:
            continue
        if m.actor.country and p.actor.country and m.actor.country != p.actor.country:
            continue
        same_word = bool(m.head) and m.head in p.actor.text.lower()
        fits = p.actor.sector == want or p.actor.sector2 == want
        if same_word or (fits and m.head in GENERIC_PERSON_NOUNS):
            return p
    return None


def _copy(src: Actor, dst: Actor) -> None:
    dst.name = src.name
    dst.country = src.country
    dst.sector = src.sector
    dst.sector2 = src.sector2


def resolve_in_article(doc: Doc, actors: list[Actor], start_char: int) -> Actor | None:
    """Who the mention at `start_char` refers to: "he"/"she" -> the last person named before it;
    "they"/"it" -> the last non-person actor; an actor mention -> that actor (already linked). None when
    nothing fits."""
    for a in actors:
        if a.start <= start_char < a.end:
            return a if (a.name or a.country) else None
    token = next((t for t in doc if t.idx <= start_char < t.idx + len(t.text)), None)
    if token is None:
        return None
    word = token.lower_
    before = [a for a in actors if a.end <= start_char]
    if word in PERSON_PRONOUNS:
        for a in reversed(before):
            if a.name and _is_person(doc, a):
                return a
        return None
    if word in GROUP_PRONOUNS:
        for a in reversed(before):
            if (a.name or a.country) and not _is_person(doc, a):
                return a
    return None


def _is_person(doc: Doc, actor: Actor) -> bool:
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ == "PERSON" for t in span)
