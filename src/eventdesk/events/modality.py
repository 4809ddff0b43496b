"""Negation and modality of an event, from the words of its composed chain (auxiliaries, negators, marks).

Owns `Flags` (negated, intended, hypothetical, conditional, obligation, reported, present) and choosing the
one `modality` value the output contract allows. The cue words are data (`data/events/modality.toml`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from eventdesk.events.ontology import data_dir
from eventdesk.model import Modality

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class Cues:
    negation: frozenset[str]
    intended: frozenset[str]
    hypothetical: frozenset[str]
    obligation: frozenset[str]
    conditional_marks: frozenset[str]
    background_marks: frozenset[str]
    reported_cues: frozenset[str]
    flip_to_reject: frozenset[str]
    cooperative: frozenset[str]
    hostile: frozenset[str]
    weapon_words: frozenset[str]
    vehicle_nouns: frozenset[str]
    disparaging: frozenset[str]
    cessation_nouns: frozenset[str]
    visitor_nouns: frozenset[str]
    helping: frozenset[str]
    air_and_armed: frozenset[str]
    departing: frozenset[str]
    military_nouns: frozenset[str]
    receiving: frozenset[str]
    own_side_nouns: frozenset[str]
    wanting: frozenset[str]
    partitive_words: frozenset[str]
    member_nouns: frozenset[str]
    force_words: frozenset[str]
    institution_nouns: frozenset[str]
    agentive_participles: frozenset[str]
    motion_verbs: frozenset[str]
    intent_transparent: frozenset[str]
    derived_modes: dict[str, dict[str, str]]
    ceased: dict[str, str]
    intent_acts: dict[str, str]


@lru_cache(maxsize=1)
def cues() -> Cues:
    raw = tomllib.loads((data_dir() / "modality.toml").read_text("utf-8"))
    sets = {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}
    return Cues(**sets, derived_modes=raw["derived_modes"], ceased=raw["ceased"], intent_acts=raw["intent_acts"])


@dataclass
class Flags:
    negated: bool = False
    intended: bool = False
    hypothetical: bool = False
    conditional: bool = False
    obligation: bool = False
    reported: bool = False
    present: bool = False

    def merge(self, other: Flags) -> None:
        self.negated |= other.negated
        self.intended |= other.intended
        self.hypothetical |= other.hypothetical
        self.conditional |= other.conditional
        self.obligation |= other.obligation
        self.present |= other.present

    def modality(self) -> Modality:
        if self.conditional:
            return "conditional"
        if self.hypothetical:
            return "hypothetical"
        if self.intended:
            return "intended"
        if self.reported:
            return "reported"
        return "asserted"


def flags(tokens: Iterable[Token], c: Cues) -> Flags:
    """What the auxiliaries, negators and tense of these (predicate) tokens say."""
    f = Flags()
    for tok in tokens:
        words = [ch for ch in tok.children if ch.dep_ in ("aux", "auxpass", "neg", "advmod", "det")]
        if tok.dep_ == "acomp" and tok.head.i != tok.i:
            words += [ch for ch in tok.head.children if ch.dep_ in ("aux", "neg")]
            words.append(tok.head)
        for w in words:
            low = w.lower_
            if w.dep_ == "neg" or (low in c.negation and (w.dep_ == "advmod" or tok.pos_ == "NOUN")):
                f.negated = True  # "did not attack", "never met", "no talks"
            elif low in c.intended and w.dep_ == "aux":
                f.intended = True
            elif low in c.hypothetical and w.dep_ == "aux":
                f.hypothetical = True
            elif low in c.obligation and w.dep_ == "aux":
                f.obligation = True
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("need", "have") and tok.head.pos_ in ("VERB", "AUX"):
            f.obligation = True
        tense_tok = tok.head if tok.dep_ == "acomp" else tok
        if tense_tok.tag_ in ("VBP", "VBZ") or any(
            w.dep_ == "aux" and w.tag_ in ("VBP", "VBZ") and w.lemma_ == "do" for w in words
        ):
            f.present = True
    return f
