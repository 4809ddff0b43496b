"""The events pipeline stage: coded PLOVER/CAMEO events with actors, recipients, date, place and evidence.

Owns turning the sentence frames of patterns.py into `eventdesk.model.Event` records: resolving actor and
recipient tokens through the actor stage (its mentions, their in-article coreference, and the knowledge
base for mentions it did not keep), attaching each event's own time expression (analysis.times) and place
(analysis.places, else the dateline), contexts from cue words, the score, and removing duplicates. It reads
the one Doc and the earlier stages' results; it never re-parses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventdesk.actors.resolve import context_countries
from eventdesk.events import lexicon, modality, ontology
from eventdesk.events.patterns import Frame, SentenceCoder
from eventdesk.model import Actor, Analysis, Event, Place, Span, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from eventdesk.actors.kb import KnowledgeBase

PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "his", "her", "them", "him", "i", "our"}
NEEDS_RECIPIENT = {"COOPERATE", "AID"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside"}
MAX_ARG_TOKENS = 12
# Unnamed actors who belong to the place where they act (`_local`).
LOCAL_SECTORS = {"REB", "UAF", "PRM", "CVL", "REF", "CRM", "OPP", "SOC", "COP"}
# A paragraph's cue words add a context only when the paragraph says it this often.
PARAGRAPH_CUE_MIN = 2
_PARAGRAPH = re.compile(r"\S[^\n]*(?:\n(?!\s*\n)[^\n]*)*")


class EventAnnotator:
    """Pipeline stage: `__call__(doc, analysis, resources)` fills `analysis.events`."""

    name = "events"

    def __init__(self, dictionaries: Sequence[Path] = (), kb: KnowledgeBase | None = None) -> None:
        self.dictionaries = tuple(Path(p) for p in dictionaries)
        self.lexicon = lexicon.load(self.dictionaries)
        self.ontology = ontology.load()
        self.cues = modality.cues()
        self.context_cues = _context_cues()
        self._kb = kb

    # -- knowledge ------------------------------------------------------------------------------------------

    def kb(self, resources: Any) -> KnowledgeBase:
        """The actor stage's knowledge base when the pipeline has one, else our own (loaded once)."""
        if self._kb is not None:
            return self._kb
        knowledge = getattr(resources, "knowledge", None) or {}
        found = knowledge.get("actors")
        if found is None:
            for _, annotator in getattr(resources, "annotators", None) or []:
                found = getattr(annotator, "kb", None) or found
        if found is None:
            from eventdesk.actors.kb import KnowledgeBase

            found = KnowledgeBase.load(self.dictionaries)
        self._kb = found
        return found

    # -- the stage ------------------------------------------------------------------------------------------

    def __call__(self, doc: Doc, analysis: Analysis, resources: Any = None) -> None:
        kb = self.kb(resources)
        coder = SentenceCoder(self.lexicon, self.ontology, self.cues)
        when = _date(analysis.article.published)
        events: list[Event] = []
        dateline = self._dateline(analysis)
        paragraphs = self._paragraph_contexts(doc)
        for sent in doc.sents:
            frames = coder.sentence(sent)
            if not frames:
                continue
            triggers = {f.trigger.i for f in frames}
            lemmas = [t.lemma_.lower() for t in sent]
            para = next((c for a, b, c in paragraphs if a <= sent.start_char < b), [])
            sent_contexts = list(dict.fromkeys(self._contexts(lemmas) + para))
            seen: dict[tuple[str, tuple[str, ...], bool], Event] = {}
            for f in frames:
                ev = self._event(doc, sent, f, analysis, kb, when, triggers, dateline, sent_contexts)
                if ev is None:
                    continue
                key = (ev.event, tuple(sorted(_who(a) for a in ev.actor)), ev.negated)
                if key in seen:  # one event per distinct action: "killing or wounding 50" after an attack
                    kept = seen[key]
                    names = {_who(r) for r in kept.recipient}
                    kept.recipient += [r for r in ev.recipient if _who(r) not in names]
                    continue
                seen[key] = ev
                events.append(ev)
        analysis.events = events

    def _event(
        self,
        doc: Doc,
        sent: SpacySpan,
        f: Frame,
        analysis: Analysis,
        kb: KnowledgeBase,
        when: dt.date | None,
        triggers: set[int],
        dateline: dict[str, Any] | None,
        sent_contexts: list[str],
    ) -> Event | None:
        # The sentence's countries may decide an actor's ("the court said"), never a recipient's: the
        # actor's country named in the sentence is not the target's.
        actors = self._args(doc, f.actors, analysis, kb, sent.text, when)
        if not f.actors and f.flags.reported and f.event in self.cues.cooperative:
            # "The pause has been extended ..., the head of the General Staff, Lt Gen Oleg Surin, said", where the
            # parser lost the speaker: the quotes stage's speaker of these words announced his own side's act
            said = _speaker_of(analysis, f.trigger.idx)
            if said is not None:
                actors = [said]
        targets = [t for t in f.recipients if not _where(t, analysis, kb, when)]
        recipients = [] if f.reciprocal else self._args(doc, targets, analysis, kb, "", when)
        if not recipients and not f.reciprocal:
            recipients = self._args(doc, f.fallback_recipients, analysis, kb, "", when)
        actor_keys = {_who(a) for a in actors}
        recipients = [r for r in recipients if _who(r) not in actor_keys]
        if f.event in NEEDS_RECIPIENT and not recipients and len(actors) < 2 and not _named(f):
            # The manual: COOPERATE and AID need a recipient. Partners acting together ("Kenya and Somalia
            # cooperated") are each other's; a recipient the text names but the knowledge cannot code
            # ("relief to flood victims") is still one.
            return None
        event = f.event
        mode = self.ontology.valid_mode(event, f.mode)
        contexts = list(dict.fromkeys([c for c in f.contexts if c in self.ontology.contexts] + sent_contexts))
        if event == "COOPERATE" and any(t.lemma_.lower() in self.cues.weapon_words for t in sent):
            contexts = list(dict.fromkeys(["military", *contexts]))
        date, date_text, date_value = self._time(doc, f, analysis, triggers, sent)
        place = self._place(doc, f, analysis, triggers, sent, actors + recipients)
        # the places of the sentence that are not parties ("Chad's army" is an actor, not a place)
        parties = [(m.start, m.end) for m in analysis.actors if sent.start_char <= m.start < sent.end_char]
        countries = {
            p.country
            for p in analysis.places
            if sent.start_char <= p.start < sent.end_char and not any(a <= p.start < b for a, b in parties)
        }
        where = place["country"] if place is not None and place.get("country") else None
        where = where or (next(iter(countries)) if len(countries) == 1 else None)
        # The same phrases without the sentence's countries (what the phrase itself says), read only when needed
        bare = self._args(doc, f.actors, analysis, kb, "", when) if where else []
        if where and len(bare) == len(actors):
            # A local group the phrase leaves without a country ("gunmen", "government forces") is of the place
            # where the event happens, before any country the sentence names for someone else ("government
            # forces, backed by Russian air power, besieged Aleppo" is SYR).
            for a, own in [*zip(actors, bare, strict=True), *((r, r) for r in recipients)]:
                if _local(own):
                    a["country"] = where
        location = place or dateline
        cameo = f.cameo if f.cameo and f.cameo[:1].isdigit() else self.ontology.types[event].cameo
        triple = self.ontology.triple(cameo)
        if triple is None or triple.event != event:
            cameo = self.ontology.types[event].cameo
        return Event(
            event=event,
            mode=mode,
            context=contexts,
            quad_code=self.ontology.quad(event),
            cameo=cameo,
            goldstein=self.ontology.score(event, mode),
            actor=actors,
            recipient=recipients,
            date=date,
            date_text=date_text,
            date_value=date_value,
            location=location,
            negated=f.flags.negated,
            modality=f.flags.modality(),
            evidence=Span(text=sent.text, start=sent.start_char, end=sent.end_char),
        )

    # -- actors ---------------------------------------------------------------------------------------------

    def _args(
        self,
        doc: Doc,
        toks: list[Token],
        analysis: Analysis,
        kb: KnowledgeBase,
        context: str,
        when: dt.date | None,
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for tok in map(_partitive, toks):
            owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
            for start, end, text in _phrases(doc, tok):
                d = None
                if owner is not None and tok.lemma_.lower() in self.cues.member_nouns:
                    # "the Council's members", "the bloc's members": the members act as their body
                    d = self._resolve(
                        doc, owner.idx, owner.idx + len(owner.text), owner.text, owner, analysis, kb, "", when
                    )
                d = d or self._resolve(doc, start, end, text, tok, analysis, kb, context, when)
                if d is not None and _who(d) not in {_who(o) for o in out}:
                    out.append(d)
        return out

    def _resolve(
        self,
        doc: Doc,
        start: int,
        end: int,
        text: str,
        tok: Token,
        analysis: Analysis,
        kb: KnowledgeBase,
        context: str,
        when: dt.date | None,
    ) -> dict[str, Any] | None:
        if tok.lower_ in PRONOUNS and tok.pos_ == "PRON":
            from eventdesk.actors.coref import resolve_in_article

            found = resolve_in_article(doc, analysis.actors, tok.idx)
            if found is not None:
                return _actor_dict(found, tok.text)
            return _quoted_speaker(analysis, tok)
        for a in analysis.actors:
            # The actor stage's mention of this phrase (linked in the article: "the ministry", "Ryabkov").
            if a.start <= tok.idx < a.end and start <= a.start and a.end <= end + 1 and (a.country or a.name):
                return _actor_dict(a, a.text)
        for a in analysis.actors:
            # A person the actor stage read with an apposition the phrase stops before ("Karim Haddad, a
            # spokesman for the opposition factions"): the same mention, from the same first word.
            if a.start == start and a.end > end and a.name and tok.pos_ == "PROPN" and a.text[end - start :][:1] == ",":
                return _actor_dict(a, a.text[: end - start])
        body = _body_named_before(analysis, tok, text) if tok.pos_ == "NOUN" else None
        if body is not None:
            return body
        quoted = _quoted_speaker(analysis, tok) if tok.pos_ == "PROPN" else None
        if quoted is not None and quoted.get("country"):
            return quoted  # "Surin told reporters: ...": the quotes stage linked the speaker to his full mention
        res = kb.resolve(text, context, when)
        if res.basis in ("city", "place") and tok.ent_type_ == "PERSON":
            return None  # a person whose name is also a place's ("Surin", a Thai province)
        if res.country is None and (res.sector in (None, "UNK")):
            return _body_named_before(analysis, tok, text) if tok.pos_ == "PROPN" else None
        if res.basis == "role" and tok.pos_ != "PROPN" and not _head_is_role(tok, kb.roles.keys()):
            return None  # "joint military exercises": a role word as a modifier does not make the head an actor
        return {"text": text, "name": res.name, "country": res.country, "sector": res.sector, "sector2": res.sector2}

    # -- time, place, context -----------------------------------------------------------------------------------

    def _attached(self, doc: Doc, start: int, f: Frame, triggers: set[int], sent: SpacySpan) -> bool:
        """The expression at `start` hangs off this event's words before any other event's."""
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None or not len(span):
            return False
        own = {t.i for t in f.tokens}
        t = span[0]
        for _ in range(len(sent)):
            if t.i in own:
                return True
            if t.i in triggers or (t.lower_ in self.cues.background_marks and t.dep_ in ("prep", "mark")):
                return False  # another event's, or a background phrase's ("after Sunday's elections")
            if t.head is t:
                return False
            t = t.head
        return False

    def _time(
        self, doc: Doc, f: Frame, analysis: Analysis, triggers: set[int], sent: SpacySpan
    ) -> tuple[str | None, str | None, str | None]:
        """(date, date_text, date_value): a day-precise date, or null with the coarser TimeML value kept."""
        for t in analysis.times:
            if sent.start_char <= t.start < sent.end_char and self._attached(doc, t.start, f, triggers, sent):
                day = t.value if t.value and _DAY.fullmatch(t.value) else None
                return day, t.text, t.value
        return analysis.article.published, None, analysis.article.published

    def _place(
        self,
        doc: Doc,
        f: Frame,
        analysis: Analysis,
        triggers: set[int],
        sent: SpacySpan,
        parties: list[dict[str, Any]],
    ) -> dict[str, Any] | None:
        party_texts = {p.get("text") for p in parties}
        for p in analysis.places:
            if not (sent.start_char <= p.start < sent.end_char) or p.text in party_texts:
                continue
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            locative = root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS
            if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.dep_ == "pobj":
                locative = root.head.head.head.lower_ in LOCATIVE_PREPS  # "in the town of Cizre"
            if locative and self._attached(doc, p.start, f, triggers, sent):
                return _place_dict(p)
        return None

    def _dateline(self, analysis: Analysis) -> dict[str, Any] | None:
        dl = analysis.article.dateline
        if dl is None or not dl.place:
            return None
        name = dl.place.split(",")[0].strip()
        for p in analysis.places:
            if p.text.lower() == name.lower() or p.name.lower() == name.lower():
                return _place_dict(p)
        entry = _gazetteer_entry(name)
        if entry is None:
            return {"name": name, "country": None, "lat": None, "lon": None}
        return {"name": entry[0], "country": entry[1], "lat": entry[2], "lon": entry[3]}

    def _contexts(self, lemmas: list[str]) -> list[str]:
        return list(dict.fromkeys(self._cues(lemmas)))

    def _cues(self, lemmas: list[str]) -> list[str]:
        """Every context cue hit of a run of lemmas, one entry per hit (single words and two-word cues)."""
        found: list[str] = []
        for i, lem in enumerate(lemmas):
            for key in (lem, f"{lem}_{lemmas[i + 1]}" if i + 1 < len(lemmas) else ""):
                ctx = self.context_cues.get(key)
                if ctx:
                    found += ctx
        return found

    def _paragraph_contexts(self, doc: Doc) -> list[tuple[int, int, list[str]]]:
        """(start, end, contexts) per paragraph (blocks between blank lines): a context its cue words name at
        least PARAGRAPH_CUE_MIN times, since contexts are usually decided above the sentence."""
        out = []
        for m in _PARAGRAPH.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None:
                continue
            counts = Counter(self._cues([t.lemma_.lower() for t in span]))
            out.append((m.start(), m.end(), [c for c, n in counts.items() if n >= PARAGRAPH_CUE_MIN]))
        return out


# ---------------------------------------------------------------------------------------------------------
# helpers


def _phrases(doc: Doc, tok: Token) -> list[tuple[int, int, str]]:
    """The actor phrases a head token stands for: coordination splits ("Hungarian and Romanian officials"
    -> two; "Jordan and Britain" -> two)."""
    out: list[tuple[int, int, str]] = []
    coord = next(
        (c for c in tok.lefts if c.dep_ in ("amod", "compound") and any(g.dep_ == "conj" for g in c.children)), None
    )
    if coord is not None and tok.pos_ == "NOUN":
        parts = [coord, *_conjuncts(coord)]
        for p in parts:
            out.append((p.idx, tok.idx + len(tok.text), f"{p.text} {tok.text}"))
    else:
        left = tok.left_edge.i
        while left < tok.i and (doc[left].dep_ in ("det", "punct", "cc", "predet") or doc[left].is_punct):
            left += 1
        right = tok.i + 1
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.right_edge.i + 1 - left <= MAX_ARG_TOKENS:
                right = _without_locatives(c) + 1
            elif c.dep_ in ("conj", "cc", "punct", "relcl", "acl", "appos", "prep"):
                break
        # Conjuncts to the left inside the subtree are their own actors; keep this head's own phrase.
        conj_lefts = [c for c in tok.lefts if c.dep_ == "conj"]
        if conj_lefts:
            left = max(c.right_edge.i for c in conj_lefts) + 1
        span = doc[left:right]
        if len(span) > MAX_ARG_TOKENS:
            span = doc[max(tok.i - MAX_ARG_TOKENS + 1, left) : tok.i + 1]
        out.append((span.start_char, span.end_char, span.text))
    for c in _conjuncts(tok):
        out += _phrases(doc, c)
    return out


def _where(tok: Token, analysis: Analysis, kb: KnowledgeBase, when: dt.date | None) -> bool:
    """A town after "from" or "at" says where ("briefed the Council from Geneva", "met at Panmunjom"), not whom;
    a country or capital there is a party ("demanded it from Russia", "fired at Israel")."""
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("from", "at"):
        return False
    place = next((p for p in analysis.places if p.start <= tok.idx < p.end), None)
    return place is not None and not context_countries(kb, place.text, when)


def _speaker_of(analysis: Analysis, char: int) -> dict[str, Any] | None:
    """The resolved speaker of the quote whose words hold offset `char`, if any."""
    for q in analysis.quotes:
        sp = q.speaker
        if q.start <= char < q.end and sp is not None and sp.actor and sp.actor.get("country"):
            return _speaker_dict(sp, sp.text)
    return None


def _quoted_speaker(analysis: Analysis, tok: Token) -> dict[str, Any] | None:
    """A pronoun that is the speaker of a quote ("..., he said") is whoever the quotes stage resolved it to."""
    for q in analysis.quotes:
        sp = q.speaker
        if sp is None or sp.start is None or sp.end is None or not (sp.start <= tok.idx < sp.end):
            continue
        if not (sp.name or (sp.actor or {}).get("country")):
            return None
        return _speaker_dict(sp, tok.text)
    return None


def _speaker_dict(sp: Speaker, text: str) -> dict[str, Any]:
    """An event argument from the quotes stage's resolved speaker."""
    actor = sp.actor or {}
    return {
        "text": text,
        "name": sp.name or actor.get("name"),
        "country": actor.get("country"),
        "sector": actor.get("sector"),
        "sector2": actor.get("sector2"),
    }


def _without_locatives(tok: Token) -> int:
    """The last index of `tok`'s phrase without trailing place phrases: "the task force in Geneva" is the
    task force, and Geneva's country is not its own."""
    end = tok.i
    for c in tok.children:
        if c.i > tok.i and not (c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS):
            end = max(end, _without_locatives(c))
    return end


def _head_is_role(tok: Token, roles: Collection[str]) -> bool:
    """The head noun, alone or with its compound modifiers, is a role ("officers", "army officers")."""
    if tok.lower_ in roles or tok.lemma_.lower() in roles:
        return True
    words = [c.lower_ for c in tok.lefts if c.dep_ == "compound"] + [tok.lower_]
    return any(" ".join(words[k:]) in roles for k in range(len(words) - 1))


def _local(a: dict[str, Any]) -> bool:
    """An unnamed actor without a country whose group is of the place where it acts ("gunmen fired on the
    crossing in Aleppo", "government forces besieged Aleppo"): it takes the country of the event's own place.
    Diplomats, officials and aid workers travel, so only armed groups, civilians and forces said to be the
    government's or the regime's qualify."""
    if a.get("country") or a.get("name"):
        return False
    words = set(str(a.get("text", "")).lower().replace("-", " ").split())
    if words & {"foreign", "international", "overseas"}:
        return False  # "foreign fighters near Mosul" are not Iraqi
    if a.get("sector") in LOCAL_SECTORS:
        return True
    return (
        a.get("sector") in ("MIL", "GOV", "COP")
        and bool(words & {"government", "regime"})
        and bool(words & modality.cues().force_words)
    )


def _body_named_before(analysis: Analysis, tok: Token, text: str) -> dict[str, Any] | None:
    """ "the Council" after "the UN Security Council", "the Assembly" after "the UN General Assembly": a bare
    capitalised head word names the last body the article named with it."""
    if tok.pos_ == "PROPN" and tok.text[:1].isupper() and text.split()[-1:] == [tok.text]:
        return _last_body_before(analysis, tok.idx, text, lambda words: words[-1] == tok.text)
    # "the ministry said" after "the Russian Defence Ministry": a definite institution noun names the last body
    # the article named with that word
    word = tok.lemma_.lower()
    definite = [c.lower_ for c in tok.children] == ["the"]
    if (
        tok.pos_ != "NOUN"
        or word not in modality.cues().institution_nouns
        or not definite
        or text.lower() != tok.lower_
    ):
        return None
    return _last_body_before(analysis, tok.idx, text, lambda words: word in (w.lower() for w in words))


def _last_body_before(
    analysis: Analysis, char: int, text: str, names_it: Callable[[list[str]], bool]
) -> dict[str, Any] | None:
    """The last actor mention with a country before `char`, of more than one word, that `names_it` accepts."""
    for a in sorted(analysis.actors, key=lambda m: -m.start):
        words = a.text.split()
        if a.start < char and a.country and len(words) > 1 and names_it(words):
            return _actor_dict(a, text)
    return None


def _partitive(tok: Token) -> Token:
    """ "Eleven of the Council's 15 members", "some of the rebels", "most of them": the group after "of"."""
    if tok.pos_ != "NUM" and tok.lower_ not in modality.cues().partitive_words:
        return tok
    return next(
        (g for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"), tok
    )


def _conjuncts(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ == "conj"]


def _actor_dict(a: Actor, text: str) -> dict[str, Any]:
    return {"text": text, "name": a.name, "country": a.country, "sector": a.sector, "sector2": a.sector2}


def _named(f: Frame) -> bool:
    """The frame names a recipient noun phrase (resolved or not)."""
    return any(t.pos_ in ("NOUN", "PROPN") for t in f.recipients)


def _who(a: dict[str, Any]) -> str:
    """Who an actor is, for duplicates: its code, or its words when it has no name or code."""
    key = f"{a.get('name') or ''}|{a.get('country') or ''}|{a.get('sector') or ''}"
    return key if key != "||" else f"text:{a.get('text')}"


def _place_dict(p: Place) -> dict[str, Any]:
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon}


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@lru_cache(maxsize=256)
def _gazetteer_entry(name: str) -> tuple[str, str | None, float, float] | None:
    from eventdesk.geo import Gazetteer

    cands = Gazetteer.load().candidates(name)
    if not cands:
        return None
    e = cands[0]
    return (e.name, e.country, round(e.lat, 5), round(e.lon, 5))


@lru_cache(maxsize=1)
def _context_cues() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    path = ontology.data_dir() / "contexts.tsv"
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ctx, _, words = line.partition("\t")
        for w in words.split():
            out.setdefault(w, []).append(ctx.strip())
    return out
