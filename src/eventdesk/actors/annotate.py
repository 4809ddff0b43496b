"""The actors pipeline stage: every actor mention in an article -> `eventdesk.model.Actor` with offsets.

Owns choosing the candidate spans from the one spaCy Doc (noun chunks widened by "of/for" complements and
appositions, plus PERSON/ORG/NORP/GPE entities outside them), deciding when a place name is an actor
(the subject of speech or action, "Moscow rejected ...") and when it is only a place, and handing the
mentions to `coref.link`. Resolution itself is `KnowledgeBase.resolve`; this module never re-parses.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventdesk.actors.coref import DEFINITE, Mention, link
from eventdesk.actors.kb import KnowledgeBase
from eventdesk.actors.resolve import MAX_MENTION_CHARS, Resolution, parse_when
from eventdesk.model import Actor, Analysis

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

ENTITY_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
NOT_ACTOR_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
# Entity labels of bodies and places: a person in apposition to one of them is not that actor.
BODY_LABELS = {"ORG", "GPE", "NORP", "FAC", "LOC"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}
# Complements that belong to the actor ("a spokesman for the opposition", "the president of Chad").
OWN_PREPS = {"of", "for"}
MAX_CANDIDATE_TOKENS = 16
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}


class ActorAnnotator:
    """Pipeline stage: `__call__(doc, analysis, resources)` fills `analysis.actors`."""

    name = "actors"

    def __init__(self, dictionaries: Sequence[Path] = (), kb: KnowledgeBase | None = None) -> None:
        self.kb = kb if kb is not None else KnowledgeBase.load(dictionaries)

    def __call__(self, doc: Doc, analysis: Analysis, resources: Any = None) -> None:
        analysis.actors = self.annotate(doc, analysis.article.published)

    def annotate(self, doc: Doc, published: str | None = None) -> list[Actor]:
        when = parse_when(published)
        mentions: list[Mention] = []
        for span in candidates(doc):
            m = self._mention(doc, span, when)
            if m is not None:
                mentions.append(m)
        return [m.actor for m in link(mentions)]

    def _mention(self, doc: Doc, span: SpacySpan, when: Any) -> Mention | None:
        start, end = span.start_char, span.end_char
        text = span.text  # not doc.text[...]: Doc.text is rebuilt from the tokens on every access
        if len(text) > MAX_MENTION_CHARS:
            return None
        res = self.kb.resolve(text, "", when)
        root = span.root
        # Token attributes, not `span.ents`: that walks the whole Doc for every candidate.
        person = _looks_personal(span)
        if root.ent_type_ in NOT_ACTOR_LABELS:
            return None  # "5:47 PM" is a time, not a prime minister
        sector = res.sector
        name = res.name
        if res.basis in ("city", "place"):
            if person or all(t.pos_ == "PROPN" for t in span):
                # "Surin" after "Lt Gen Oleg Surin" is the general, not the Thai province: a name that is
                # also a place's stays a name, kept only if it links to a person named earlier.
                actor = Actor(text=text, start=start, end=end, name=text, country=None, sector=None)
                unplaced = Resolution(mention=text, name=text)
                return Mention(actor=actor, resolution=unplaced, person=True, definite_role=False, tentative=True)
            return None  # a town or region is where things happen; its people are named as such
        if res.basis in ("country", "capital", "demonym"):
            if not _is_agent(root) or root.ent_type_ not in ("GPE", "NORP"):
                return None  # a place mentioned as a place ("in Geneva", "the Russian veto"), not an actor
            if res.basis in ("country", "capital") and sector is None:
                sector = "GOV"  # metonymy: "Russia rejected ..." is the Russian government
        elif not res.resolved and not (person and res.name):
            if res.name and all(t.pos_ == "PROPN" for t in span):
                actor = Actor(text=text, start=start, end=end, name=res.name, country=None, sector=None)
                return Mention(actor=actor, resolution=res, person=True, definite_role=False, tentative=True)
            return None
        if root.pos_ == "PRON":
            return None
        if res.sector == "UNK" and res.country is None and res.name is None:
            return None  # "one source", "two men": nobody in particular
        if res.basis == "role" and not self._head_is_actor(root):
            return None  # "a French-drafted resolution": a thing named after an actor is not one
        # "the deputy minister": the determiner was trimmed off the span, so look just before it.
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        definite_role = (
            res.basis == "role"
            and res.name is None
            and before in DEFINITE
            and res.sector not in (None, "UNK")
            and root.tag_ in ("NN", "NNP")  # "the diplomat", not "the sources"
        )
        if res.basis == "role" and all(t.ent_type_ == "ORG" for t in span):
            name = text  # an organisation the knowledge does not name: its name is what the text calls it
        actor = Actor(
            text=text, start=start, end=end, name=name, country=res.country, sector=sector, sector2=res.sector2
        )
        return Mention(actor=actor, resolution=res, person=person, definite_role=definite_role, head=root.lower_)

    def _head_is_actor(self, root: Token) -> bool:
        """The phrase's head word is a role word, part of a name, or a named entity."""
        return (
            root.lower_ in self.kb.roles
            or root.lemma_.lower() in self.kb.roles
            or root.pos_ == "PROPN"
            or root.ent_type_ in ENTITY_LABELS
        )


def _looks_personal(span: SpacySpan) -> bool:
    return any(t.ent_type_ == "PERSON" for t in span)


def _is_agent(token: Token) -> bool:
    """The subject of a verb (or conjoined with one), or the agent of a passive ("by Moscow")."""
    t = token
    while t.dep_ == "conj" and t.head is not t:
        t = t.head
    if t.dep_ in SUBJECT_DEPS:
        return True
    return t.dep_ == "pobj" and t.head.lower_ == "by" and t.head.dep_ == "agent"


def candidates(doc: Doc) -> list[SpacySpan]:
    """Candidate actor spans in text order, without overlaps; leading determiners are kept out."""
    spans: list[SpacySpan] = []
    taken: set[int] = set()
    for chunk in doc.noun_chunks:
        if any(i in taken for i in range(chunk.start, chunk.end)):
            continue
        span = _trim(_widen(doc, chunk))
        if span is None or len(span) > MAX_CANDIDATE_TOKENS:
            continue
        spans.append(span)
        taken.update(range(span.start, span.end))
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS and not any(i in taken for i in range(ent.start, ent.end)):
            trimmed = _trim(ent)
            if trimmed is not None:
                spans.append(trimmed)
                taken.update(range(ent.start, ent.end))
    spans.sort(key=lambda s: s.start)
    return spans


def _widen(doc: Doc, chunk: SpacySpan) -> SpacySpan:
    """Add an "of"/"for" complement or an apposition that belongs to the chunk's head."""
    end = chunk.end
    root = chunk.root
    for child in root.rights:
        if child.i < end:
            continue
        if (
            child.dep_ == "appos"
            and root.dep_ == "pobj"
            and root.ent_type_ in BODY_LABELS
            and child.ent_type_ == "PERSON"
        ):
            # "Britain's ambassador to the UN, Harriet Cole": the parser hangs the person on the nearest noun, the
            # body ending the phrase before; a body and a person are two actors, never one (the person is a
            # candidate of its own).
            continue
        if (child.dep_ == "prep" and child.lower_ in OWN_PREPS) or child.dep_ == "appos":
            sub_end = max(t.i for t in child.subtree) + 1
            if sub_end - chunk.start <= MAX_CANDIDATE_TOKENS:
                end = max(end, sub_end)
        elif child.dep_ == "prep" and root.pos_ == "NOUN" and not root.ent_type_:
            # "Britain's ambassador to the UN, Harriet Cole": the person the parser hung on the body is the
            # apposition of the role noun ("ambassador"), so the role phrase takes the prepositional phrase too.
            appos = [
                a
                for obj in child.children
                if obj.dep_ == "pobj" and obj.ent_type_ in BODY_LABELS
                for a in obj.children
                if a.dep_ == "appos" and a.ent_type_ == "PERSON"
            ]
            if appos:
                sub_end = max(t.i for t in appos[-1].subtree) + 1
                if sub_end - chunk.start <= MAX_CANDIDATE_TOKENS:
                    end = max(end, sub_end)
    return doc[chunk.start : end]


def _wordy(token: Token) -> bool:
    return any(ch.isalnum() for ch in token.text)


def _trim(span: SpacySpan) -> SpacySpan | None:
    """Drop leading determiners and trailing punctuation; None if nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _DETERMINERS or not _wordy(doc[start])):
        start += 1
    while end > start and not _wordy(doc[end - 1]):
        end -= 1
    return doc[start:end] if end > start else None
