"""Quotes: who said what in an article, in the forms news uses, with the speaker resolved.

This module owns `analysis.quotes`. It reads the one spaCy Doc the pipeline made (sentences, tags,
dependency parse, entities) and the actors stage's `analysis.actors`; it never re-parses. Its words (cue
verbs by class, cue phrases, quotation-mark pairs, pronouns, nominal anaphors, gender hints, titles and name
particles) live in `data/quotes/`; the rules here are built from them.

Forms (`Quote.kind`):

- direct: a stretch in quotation marks with its speaker before ("X said: '...'"), after ("'...,' said X"),
  inside ("'...,' he said, '...'") or in the previous sentence or paragraph (a quote paragraph of its own).
  Marks: “…” "…" «…» „…“ ‘…’ '…' and the other pairs in `marks.toml`. A double mark left open at a
  paragraph end continues into the next paragraph when that one opens with a mark, else the quote ends at
  the paragraph end (an unclosed mark never swallows the rest of the article); an unclosed single mark is
  an apostrophe, not a quote.
- partial: a quoted fragment framed by a cue verb ("X called the draft 'unacceptable'").
- indirect: the clausal complement of a cue verb ("X said (that) ..."): the complement is the content.
- mixed: indirect speech that holds a quoted fragment.
- according_to: "according to X, ..." / "..., according to X": the clause is the content.
- stances (kind indirect): a judgement or intention verb's object or infinitive ("X condemned him", "X
  called on Y to act", "X plans to visit"); a participle on a noun speaks for the noun ("polls showing X
  ahead") or for whoever issued the message ("X issued a statement saying ..."); a short headline line that
  opens the text ("X Says Y", "X: Y").

Offsets: `Quote.start/end` cover the content without its enclosing marks (`text == article.text[start:end]`);
a quote interrupted by its attribution is one record from the first part to the last (the parts are kept
in `Attribution.parts`). Speaker offsets are kept in `Attribution.speaker` and copied into
`model.Speaker.start/end`.

Headline quotes: `article.title` is not part of `article.text`, so a headline quote has no offsets and is
never put in `analysis.quotes`; `headline_quote(title)` parses one ("Minister: 'We will...'") for callers
that want it.

Speaker resolution: a pronoun ("he", "she", "they", "it") or a definite nominal anaphor ("the minister",
"the Russian envoy") goes to the nearest earlier compatible antecedent, sentence by sentence, preferring an
earlier speaker or grammatical subject in a sentence; agreement is by gender (given-name and title hints),
number and title. Names mentioned inside direct quotes are never antecedents. A title's apposition or
complement names its speaker ("the Russian ambassador, Gennady Sorokin, said"; "Governor of Aleppo Marwan
Qassab told"). A person's name is written without the titles, ranks and honorifics before it ("Lt Gen",
"Dr", "Deputy Foreign Minister"; data/quotes/titles.toml) but with its particles ("Umm Yasser", "Abu
Khaled"). A surname alone is the full name the article gives it, even where the parser tagged it as a place.
The actor code comes from `analysis.actors` when the actors stage ran, and so does the canonical name when
it holds the person's surname (not the organisation around the name, not a knowledge-base namesake whose
given name differs from the article's); without it, names come from the parse and the actor code is null.
Anonymous sources ("a senior official", "sources close to the Kremlin", "the Kremlin's spokesman") keep a
null name and the actor code of the actor the text names in them. `Speaker.kind` is "person" only for a
named person: what the coverage comparison lists as who is quoted.

Must not: raise on any input, emit offsets that do not hold, or treat scare quotes in narration (a quoted
word with no cue verb over it) as quotes.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING, Any, Literal

from eventdesk.model import Actor, Quote, QuoteKind, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from eventdesk.model import Analysis

SpeakerKind = Literal["person", "organisation", "group", "anonymous", "unknown"]
Gender = Literal["m", "f", ""]

# A pronoun looks back this far (characters) for its antecedent: about two paragraphs.
PRONOUN_WINDOW = 1500
# A nominal anaphor ("the diplomat") may look further back: news re-introduces people by role.
ANAPHOR_WINDOW = 4000
# An unattributed quote paragraph inherits the last speaker only from this many paragraphs back.
CARRY_PARAGRAPHS = 2
# The attribution clause after a quote ("..., the French foreign minister told reporters") is short.
MAX_ATTRIBUTION_TOKENS = 14
# A quote needs this many word tokens to stand as a full-sentence quote with no cue of its own.
MIN_STANDALONE_WORDS = 4
_SENTENCE_END = {".", "!", "?", "…"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# A cue verb's subject may sit on the verb it hangs from ("..., adding that", "and said", "was quoted as").
_CLIMB_DEPS = {"conj", "advcl", "xcomp", "pcomp", "prep", "acl", "ccomp"}
_RELATIVE = {"who", "that", "which", "whom"}
# Messages that carry their sender's words: "X issued a statement saying ..." is X speaking.
_MESSAGE_NOUNS = frozenset(
    [
        "statement",
        "letter",
        "memo",
        "message",
        "release",
        "tweet",
        "post",
        "email",
        "note",
        "report",
        "video",
        "speech",
        "op-ed",
        "column",
        "editorial",
        "ad",
        "advertisement",
        "filing",
        "complaint",
        "lawsuit",
    ]
)
# Parts of a subject noun phrase that are not the speaker's name ("X, a spokesman, ..."; "X, who ...").
_SPEAKER_CUT = {"appos", "relcl", "acl", "advcl", "punct", "cc", "conj", "parataxis", "ccomp"}
_WORD = re.compile(r"\w", re.UNICODE)
_MENTION_LABELS = {"PERSON", "ORG", "GPE", "NORP"}


# --------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class Anaphor:
    """A role noun that can refer back to a named person ("the minister")."""

    gender: Gender
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    speech: frozenset[str]
    quote_only: frozenset[str]
    report: frozenset[str]
    cognition: frozenset[str]
    partial: frozenset[str]
    infinitive: frozenset[str]
    objects: frozenset[str]
    prepositions: frozenset[str]
    for_verbs: frozenset[str]
    nouns_cue: frozenset[str]
    particles: dict[str, frozenset[str]]
    after_phrases: tuple[str, ...]
    before_phrases: tuple[str, ...]
    prepositional: tuple[str, ...]
    anonymous_heads: frozenset[str]
    indefinite: frozenset[str]
    first_second_person: frozenset[str]
    pairs: dict[str, frozenset[str]]
    ambiguous: frozenset[str]
    apostrophes: frozenset[str]
    double: frozenset[str]
    single: frozenset[str]
    pronouns: dict[str, tuple[Gender, str, str]]
    nouns: dict[str, Anaphor]
    gender_words: dict[str, Gender]
    first_names: dict[str, Gender]
    title_words: frozenset[str] = frozenset()
    name_particles: frozenset[str] = frozenset()

    @property
    def openers(self) -> frozenset[str]:
        return frozenset(self.pairs) | self.ambiguous

    def cue_class(self, lemma: str) -> str | None:
        for name in ("speech", "report", "cognition", "partial", "quote_only"):
            if lemma in getattr(self, name):
                return name
        return None


def _read(name: str) -> dict[str, Any]:
    text = importlib_resources.files("eventdesk").joinpath(f"data/quotes/{name}").read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped cue, mark and anaphora tables, read once per process."""
    cues, marks, ana = _read("cues.toml"), _read("marks.toml"), _read("anaphora.toml")
    titles = _read("titles.toml")["titles"]
    verbs = cues["verbs"]
    names_text = importlib_resources.files("eventdesk").joinpath("data/quotes/first_names.tsv").read_text("utf-8")
    first_names: dict[str, Gender] = {}
    for line in names_text.splitlines()[1:]:
        if line and not line.startswith("#") and "\t" in line:
            name, gender = line.split("\t")[:2]
            if name != "name" and gender in ("m", "f"):
                first_names[name.strip().lower()] = gender  # type: ignore[assignment]
    gender_words: dict[str, Gender] = {}
    for g in ("m", "f"):
        for w in ana["gender"][g]:
            gender_words[w.lower()] = g
    return Lexicon(
        speech=frozenset(verbs["speech"]),
        quote_only=frozenset(verbs["quote_only"]),
        report=frozenset(verbs["report"]),
        cognition=frozenset(verbs["cognition"]),
        partial=frozenset(verbs["partial"]),
        infinitive=frozenset(verbs["infinitive"]),
        objects=frozenset(verbs["object"]),
        prepositions=frozenset(verbs["prepositions"]),
        for_verbs=frozenset(verbs["for_verbs"]),
        nouns_cue=frozenset(verbs["nouns"]),
        particles={k: frozenset(v) for k, v in cues["particles"].items()},
        after_phrases=tuple(p.lower() for p in cues["phrases"]["after"]),
        before_phrases=tuple(p.lower() for p in cues["phrases"]["before"]),
        prepositional=tuple(p.lower() for p in cues["prepositional"]["phrases"]),
        anonymous_heads=frozenset(cues["speakers"]["anonymous_heads"]),
        indefinite=frozenset(cues["speakers"]["indefinite"]),
        first_second_person=frozenset(cues["speakers"]["first_second_person"]),
        pairs={k: frozenset(v) for k, v in marks["pairs"].items()},
        ambiguous=frozenset(marks["ambiguous"]["marks"]),
        apostrophes=frozenset(marks["apostrophes"]["marks"]),
        double=frozenset(marks["levels"]["double"]),
        single=frozenset(marks["levels"]["single"]),
        pronouns={k: (v["gender"], v["number"], v["kind"]) for k, v in ana["pronouns"].items()},
        nouns={k: Anaphor(v["gender"], tuple(t.lower() for t in v["titles"])) for k, v in ana["nouns"].items()},
        gender_words=gender_words,
        first_names=first_names,
        title_words=frozenset(w for k in ("honorifics", "ranks", "offices") for w in titles[k]),
        name_particles=frozenset(titles["particles"]),
    )


# ------------------------------------------------------------------------------------- quotation marks


@dataclass(slots=True)
class QuotedSpan:
    """A stretch between quotation marks. `start/end` is the content without the marks.

    `open` is the index of the opening mark (None for a stray closing mark whose quote starts at the
    paragraph start); `close` the index of the closing mark (None when the quote was left open and ends at
    the paragraph end). `paragraphs` counts the paragraphs it runs over.
    """

    open: int | None
    close: int | None
    start: int
    end: int
    single: bool = False
    paragraphs: int = 1

    @property
    def outer_start(self) -> int:
        return self.open if self.open is not None else self.start

    @property
    def outer_end(self) -> int:
        return self.close + 1 if self.close is not None else self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-empty line of the text (articles keep one paragraph per line)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def find_quoted(text: str, lex: Lexicon | None = None) -> list[QuotedSpan]:
    """Every quoted stretch at the top level (a quote within a quote stays inside its outer quote)."""
    lex = lex or lexicon()
    out: list[QuotedSpan] = []
    paras = paragraphs(text)
    carry: QuotedSpan | None = None  # a double quote left open at the end of the previous paragraph
    for k, (ps, pe) in enumerate(paras):
        i = ps
        while i < pe and text[i].isspace():
            i += 1
        current: tuple[str, int] | None = None
        current_start = 0
        if carry is not None:
            if i < pe and text[i] in lex.openers and text[i] not in lex.single:
                current, current_start = (text[i], i), carry.start
            else:
                out.append(carry)
            carry = None
        seen_opener = current is not None
        j = ps if current is None else i + 1
        if current is not None:
            pass
        while j < pe:
            ch = text[j]
            prev = text[j - 1] if j > ps else ""
            nxt = text[j + 1] if j + 1 < pe else ""
            opener_pos = (_is_space(prev) or prev in "([{—–-/:;" or prev in lex.double) and not _is_space(nxt)
            closer_pos = not _is_space(prev) and (_is_space(nxt) or not nxt.isalnum())
            if current is None:
                if ch in lex.openers and opener_pos and not (ch in lex.single and not nxt.isalpha()):
                    if ch == "’":  # only ever an apostrophe or a closer in practice
                        j += 1
                        continue
                    current, current_start, seen_opener = (ch, j), j + 1, True
                elif ch in ("”", '"', "»") and closer_pos and not seen_opener and j - ps > 1:
                    # A stray closing mark: its quote started at the paragraph start without a mark.
                    start = ps
                    while start < j and text[start].isspace():
                        start += 1
                    out.append(QuotedSpan(open=None, close=j, start=start, end=j))
                    seen_opener = True
            else:
                mark, _ = current
                closers = lex.pairs.get(mark, frozenset({mark}))
                if mark in lex.ambiguous:
                    closers = frozenset({mark}) | (lex.pairs.get(mark, frozenset()))
                is_single = mark in lex.single
                if ch in closers and closer_pos and not (ch in lex.apostrophes and nxt.isalpha()):
                    if is_single and prev in "sS" and nxt == " " and _plural_possessive(text, j, pe, closers):
                        j += 1
                        continue
                    out.append(
                        QuotedSpan(
                            open=_open_index(current, current_start),
                            close=j,
                            start=current_start,
                            end=j,
                            single=is_single,
                            paragraphs=1 + _count_breaks(text, current_start, j),
                        )
                    )
                    current = None
            j += 1
        if current is not None:
            mark, _ = current
            end = pe
            while end > current_start and text[end - 1].isspace():
                end -= 1
            if mark in lex.single or end <= current_start:
                current = None  # an unclosed single mark is an apostrophe ('90s, rock 'n' roll)
                continue
            span = QuotedSpan(
                open=_open_index(current, current_start),
                close=None,
                start=current_start,
                end=end,
                paragraphs=1 + _count_breaks(text, current_start, end),
            )
            if k + 1 < len(paras):
                carry = span
            else:
                out.append(span)
    if carry is not None:
        out.append(carry)
    out.sort(key=lambda q: q.start)
    return [q for q in out if q.end > q.start]


def _open_index(current: tuple[str, int], content_start: int) -> int:
    # For a quote continued from an earlier paragraph, the first opening mark is one before its content.
    return content_start - 1


def _count_breaks(text: str, start: int, end: int) -> int:
    return text.count("\n", start, end)


def _plural_possessive(text: str, j: int, pe: int, closers: frozenset[str]) -> bool:
    """ "the leaders’ meeting": a later closing mark in the paragraph means this one is an apostrophe."""
    return any(text[x] in closers for x in range(j + 1, pe))


# ------------------------------------------------------------------------------------------- records


@dataclass(slots=True)
class SpeakerRef:
    """The speaker as written (offsets into article.text) and what it was resolved to."""

    text: str
    start: int
    end: int
    name: str | None = None
    actor: dict[str, str | None] | None = None
    kind: SpeakerKind = "unknown"
    # The mention this speaker was resolved to (pronouns and nominal anaphors), as [start, end).
    antecedent: tuple[int, int] | None = None


@dataclass(slots=True)
class Attribution:
    """One attribution with every offset: content, cue and speaker."""

    kind: QuoteKind
    start: int
    end: int
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: SpeakerRef | None
    parts: list[tuple[int, int]] = field(default_factory=list)

    def to_quote(self, text: str) -> Quote:
        speaker = None
        s = self.speaker
        # A "speaker" without a letter in it (a stray quotation mark the parse attached) is no speaker.
        if s is not None and any(ch.isalpha() for ch in s.text):
            speaker = Speaker(s.text, s.name, s.actor, start=s.start, end=s.end, kind=s.kind)
        return Quote(
            text=text[self.start : self.end],
            start=self.start,
            end=self.end,
            kind=self.kind,
            speaker=speaker,
            cue=self.cue,
        )


@dataclass(frozen=True, slots=True)
class HeadlineQuote:
    """A quote in a headline: offsets are into `article.title`, never into the text."""

    speaker: str
    content: str
    kind: QuoteKind
    speaker_start: int
    content_start: int


_HEADLINE_COLON = re.compile(r"^(?P<spk>[A-Z][^:\"“”«»„]{1,60}?)\s*:\s+(?P<q>\S.*)$")
_HEADLINE_DASH = re.compile(r"^(?P<q>.+?\S)\s+[—–]\s+(?P<spk>[A-Z][^—–:]{1,60})$")
_HEADLINE_MARKS = "\"'“”«»„‘’"


def headline_quote(title: str | None) -> HeadlineQuote | None:
    """`Voronin: "We will not back this draft"` or `Pause extended by 24 hours — General Staff`."""
    if not title:
        return None
    title = title.strip()
    for pattern in (_HEADLINE_COLON, _HEADLINE_DASH):
        m = pattern.match(title)
        if m is None:
            continue
        speaker = m.group("spk").strip()
        if len(speaker.split()) > 6:
            continue
        q_start, q_end = m.start("q"), m.end("q")
        raw = title[q_start:q_end]
        stripped = raw.strip(_HEADLINE_MARKS + " ")
        if not stripped or len(stripped.split()) < 2:
            continue
        marked = raw[0] in _HEADLINE_MARKS and raw.rstrip()[-1] in _HEADLINE_MARKS
        return HeadlineQuote(
            speaker=speaker,
            content=stripped,
            kind="direct" if marked else "indirect",
            speaker_start=m.start("spk"),
            content_start=q_start + raw.index(stripped[0]),
        )
    return None


# ------------------------------------------------------------------------------------------ mentions


@dataclass(slots=True)
class _Mention:
    """An earlier mention a pronoun or a role noun can point back to."""

    start: int
    end: int
    sent: int  # sentence start char
    name: str | None
    gender: Gender
    role: str  # lower-case title words around the mention (" deputy foreign minister ")
    kind: SpeakerKind
    actor: dict[str, str | None] | None
    country: str | None
    subject: bool
    speaker: bool = False
    plural: bool = False


@dataclass
class _Context:
    doc: Doc
    lex: Lexicon
    actors: list[Actor]
    quotes: list[QuotedSpan]
    quote_of_token: list[int]  # index into quotes or -1
    paras: list[tuple[int, int]]
    text: str = ""
    starts: list[int] = field(default_factory=list)  # token start chars, for bisect
    ends: list[int] = field(default_factory=list)  # token end chars
    sent_tok: list[int] = field(default_factory=list)  # per token: its sentence's first token
    sent_end: list[int] = field(default_factory=list)  # per token: one past its sentence's last token
    sent_char: list[int] = field(default_factory=list)  # per token: its sentence's start char
    mentions: list[_Mention] = field(default_factory=list)
    # Surname as written -> the full name the article gives it ("Surin" -> "Oleg Surin").
    full_names: dict[str, str] = field(default_factory=dict)
    after_re: re.Pattern[str] | None = None
    before_re: re.Pattern[str] | None = None

    def index(self) -> None:
        doc = self.doc
        self.text = doc.text
        self.starts = [t.idx for t in doc]
        self.ends = [t.idx + len(t.text) for t in doc]
        n = len(doc)
        self.sent_tok, self.sent_end, self.sent_char = [0] * n, [n] * n, [0] * n
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                self.sent_tok[i], self.sent_end[i], self.sent_char[i] = sent.start, sent.end, sent.start_char
        alts = "|".join(re.escape(p) for p in sorted(self.lex.after_phrases, key=len, reverse=True))
        self.after_re = re.compile(r"\s+(?:" + alts + r")\b")
        alts = "|".join(re.escape(p) for p in sorted(self.lex.before_phrases, key=len, reverse=True))
        self.before_re = re.compile(r"\b(?:" + alts + r")\s+$")

    def paragraph_of(self, char: int) -> int:
        for k, (s, e) in enumerate(self.paras):
            if s <= char <= e:
                return k
        return -1

    def in_quote(self, char: int) -> bool:
        return any(q.start <= char < q.end for q in self.quotes)


# ------------------------------------------------------------------------------------------ the stage


class QuoteAnnotator:
    """Pipeline stage: `__call__(doc, analysis, resources)` fills `analysis.quotes`."""

    name = "quotes"

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()

    def __call__(self, doc: Doc, analysis: Analysis, resources: Any = None) -> None:
        text = doc.text
        analysis.quotes = [a.to_quote(text) for a in self.find(doc, analysis.actors)]

    def find(self, doc: Doc, actors: Iterable[Actor] = ()) -> list[Attribution]:
        """Every attribution in the Doc, in text order, with content, cue and speaker offsets."""
        text = doc.text
        quotes = find_quoted(text, self.lex)
        ctx = _Context(doc, self.lex, sorted(actors, key=lambda a: a.start), quotes, [], paragraphs(text))
        ctx.index()
        qot = [-1] * len(doc)
        for qi, q in enumerate(quotes):
            for k in range(bisect.bisect_left(ctx.starts, q.start), bisect.bisect_left(ctx.starts, q.end)):
                qot[k] = qi
        ctx.quote_of_token = qot
        ctx.mentions = _mentions(ctx)
        used_cues: set[int] = set()
        found: list[tuple[Attribution, Token | None]] = []
        found += _direct(ctx, used_cues)
        found += _indirect(ctx, used_cues, found)
        found += _according_to(ctx, found)
        found += _noun_cues(ctx, [(a.start, a.end) for a, _ in found])
        found += _headline_line(ctx, [(a.start, a.end) for a, _ in found])
        found.sort(key=lambda f: (f[0].start, f[0].end))
        out = _dedupe([a for a, _ in found])
        _resolve_speakers(ctx, out)
        _carry_speakers(ctx, out)
        return [a for a in out if _offsets_hold(a, text)]


def _offsets_hold(a: Attribution, text: str) -> bool:
    return 0 <= a.start < a.end <= len(text) and (
        a.speaker is None or 0 <= a.speaker.start <= a.speaker.end <= len(text)
    )


def _dedupe(items: list[Attribution]) -> list[Attribution]:
    """Two attributions of one stretch: keep the first (direct before indirect at the same place)."""
    out: list[Attribution] = []
    for a in items:
        clash = next((b for b in out if _overlap(a.start, a.end, b.start, b.end) > 0.5), None)
        if clash is None or _nested(a, clash) or _nested(clash, a):
            out.append(a)
        elif clash.speaker is None and a.speaker is not None:
            out[out.index(clash)] = a
    return out


def _nested(inner: Attribution, outer: Attribution) -> bool:
    """ "X said Y was ready, according to a statement issued by Z": when an according_to names only the
    document that carried the words, a cue verb inside its content is the attribution (X said), kept beside
    the document's."""
    if outer.kind != "according_to" or inner.kind == "according_to" or inner.cue_start is None:
        return False
    source = outer.speaker.text.lower().split() if outer.speaker is not None else []
    return bool(source) and source[-1] in _MESSAGE_NOUNS and outer.start <= inner.cue_start < outer.end


def _overlap(s1: int, e1: int, s2: int, e2: int) -> float:
    inter = max(0, min(e1, e2) - max(s1, s2))
    return inter / max(1, min(e1 - s1, e2 - s2))


# ------------------------------------------------------------------------------------------ cue verbs


def _is_cue_verb(t: Token, lex: Lexicon, classes: Iterable[str]) -> bool:
    if t.pos_ not in ("VERB", "AUX") and t.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return False
    lemma = t.lemma_.lower()
    return any(lemma in getattr(lex, c) for c in classes)


def _subject(t: Token) -> Token | None:
    """The subject of a cue verb, climbing through "and said", "..., adding", "was quoted as saying"."""
    cur = t
    for _ in range(4):
        for c in cur.children:
            if c.dep_ in _SUBJECT_DEPS:
                if c.lower_ in _RELATIVE and cur.dep_ == "relcl":
                    return cur.head
                return c
        if cur.dep_ == "acl" and cur.tag_ == "VBG" and cur.head.pos_ in ("NOUN", "PROPN"):
            # A participle on a noun: the noun speaks ("polls showing X ahead"), unless it is a message
            # someone issued ("X issued a statement saying ..."): then X does.
            noun = cur.head
            if noun.lemma_.lower() in _MESSAGE_NOUNS and noun.dep_ in ("dobj", "pobj"):
                verb = noun.head if noun.dep_ == "dobj" else noun.head.head
                return _subject(verb) if verb.pos_ in ("VERB", "AUX") else None
            return noun
        if cur.dep_ in _CLIMB_DEPS and cur.head.i != cur.i:
            cur = cur.head
            continue
        return None
    return None


def _speaker_span(doc: Doc, head: Token) -> tuple[int, int]:
    """Token range of the speaker noun phrase: the head with its modifiers, without appositions, relative
    clauses or anything after a comma."""
    left = head.left_edge.i
    while left < head.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    right = head.i
    for c in head.rights:
        if c.dep_ in _SPEAKER_CUT or any(doc[k].text == "," for k in range(right + 1, c.left_edge.i + 1)):
            break
        right = max(right, c.right_edge.i)
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    return left, right + 1


def _cue_text(ctx: _Context, verb: Token) -> tuple[str, int, int]:
    """The cue as written: the verb with its particle and any cue phrase around it."""
    text, lex = ctx.text, ctx.lex
    start, end = verb.idx, verb.idx + len(verb.text)
    parts = lex.particles.get(verb.lemma_.lower())
    if parts:
        for c in verb.rights:
            if c.lower_ in parts and c.i <= verb.i + 2:
                end = max(end, c.idx + len(c.text))
    assert ctx.after_re is not None and ctx.before_re is not None
    m = ctx.after_re.match(text[end : end + 40].lower())
    if m:
        end += m.end()
    before = text[max(0, start - 40) : start].lower()
    m = ctx.before_re.search(before)
    if m:
        start -= len(before) - m.start()
    return text[start:end], start, end


def _tok_at(ctx: _Context, char: int) -> Token | None:
    """The first token starting at or after `char`."""
    k = bisect.bisect_left(ctx.starts, char)
    return ctx.doc[k] if k < len(ctx.starts) else None


def _tok_before(ctx: _Context, char: int) -> Token | None:
    """The last token ending at or before `char`."""
    k = bisect.bisect_right(ctx.ends, char) - 1
    return ctx.doc[k] if k >= 0 else None


def _words(text: str) -> int:
    return len([w for w in text.split() if _WORD.search(w)])


# ------------------------------------------------------------------------------------- direct quotes


def _direct(ctx: _Context, used: set[int]) -> list[tuple[Attribution, Token | None]]:
    _doc, _lex, text = ctx.doc, ctx.lex, ctx.text
    out: list[tuple[Attribution, Token | None]] = []
    attributed: dict[int, Attribution] = {}
    clause_end: dict[int, int] = {}  # quote index -> char where its after-attribution clause ends
    speech = ("speech", "quote_only", "partial")
    for qi, q in enumerate(ctx.quotes):
        found = _after_form(ctx, q, speech)
        if found is None:
            prev = _continues(ctx, qi, attributed, clause_end)
            if prev is not None:
                prev.end = q.end
                prev.parts.append((q.start, q.end))
                _trim_content(text, prev)
                attributed[qi] = prev
                continue
            found = _before_form(ctx, q, speech)
        if found is None and q.close is None:
            found = _inside_unclosed(ctx, q, speech)
        if found is None:
            continue
        verb, subj, cue, cstart, cend, clause_stop, new_end = found
        if verb is not None:
            used.add(verb.i)
        a = Attribution(
            kind="direct",
            start=q.start,
            end=new_end if new_end is not None else q.end,
            cue=cue,
            cue_start=cstart,
            cue_end=cend,
            speaker=_speaker_ref(ctx, subj) if subj is not None else None,
        )
        a.parts = [(a.start, a.end)]
        _trim_content(text, a)
        attributed[qi] = a
        clause_end[qi] = clause_stop
        out.append((a, verb))
    # Fragments and quotes that continue an attributed one.
    for qi, q in enumerate(ctx.quotes):
        if qi in attributed:
            continue
        frag = _fragment(ctx, q, used)
        if frag is not None:
            out.append(frag)
            attributed[qi] = frag[0]
            continue
        if _standalone(ctx, q):
            a = Attribution(
                kind="direct", start=q.start, end=q.end, cue=None, cue_start=None, cue_end=None, speaker=None
            )
            a.parts = [(q.start, q.end)]
            _trim_content(text, a)
            out.append((a, None))
    return out


_Found = tuple["Token | None", "Token | None", str | None, int | None, int | None, int, int | None]


def _after_form(ctx: _Context, q: QuotedSpan, classes: tuple[str, ...]) -> _Found | None:
    """ "'...,' X said" / "'...,' said X" / "'...,' according to X": the clause right after the closing mark."""
    doc, text = ctx.doc, ctx.text
    if q.close is None:
        return None
    para_end = _para_end(ctx, q.close)
    first = _tok_at(ctx, q.close + 1)
    while first is not None and first.idx < para_end and (first.is_punct and first.text not in _SENTENCE_END):
        if first.text in ctx.lex.openers or first.text in ("“", "«", "„"):
            return None
        first = doc[first.i + 1] if first.i + 1 < len(doc) else None
    if first is None or first.idx >= para_end or first.text in _SENTENCE_END:
        return None
    stop = min(len(doc), first.i + MAX_ATTRIBUTION_TOKENS)
    for t in doc[first.i : stop]:
        if t.text in _SENTENCE_END or ctx.quote_of_token[t.i] >= 0 or t.idx >= para_end:
            break
        if _is_cue_verb(t, ctx.lex, classes):
            subj = _subject(t)
            if subj is None:
                continue
            s_left = _speaker_span(doc, subj)[0]
            # The clause must start right after the quote: with the speaker ("X said") or the verb ("said X").
            if not (t.i == first.i or s_left == first.i):
                continue
            cue, cs, ce = _cue_text(ctx, t)
            end_clause = _clause_end(doc, t, subj)
            return t, subj, cue, cs, ce, end_clause, None
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            pobj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                cue = text[t.idx : doc[t.i + 1].idx + 2]
                return None, pobj, cue, t.idx, t.idx + len(cue), pobj.right_edge.idx + len(pobj.right_edge.text), None
    return None


def _clause_end(doc: Doc, verb: Token, subj: Token) -> int:
    last = max(verb.i, _speaker_span(doc, subj)[1] - 1)
    for c in verb.rights:
        if c.dep_ in ("punct",) or c.dep_ == "ccomp":
            break
        last = max(last, c.right_edge.i)
    t = doc[last]
    return t.idx + len(t.text)


def _before_form(ctx: _Context, q: QuotedSpan, classes: tuple[str, ...]) -> _Found | None:
    """ "X said: '...'" / "X told reporters, '...'" / "X said '...'" / "Voronin: '...'"."""
    doc, text = ctx.doc, ctx.text
    if q.open is None:
        return None
    k = q.open - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    if k < 0 or text[k] == "\n":
        return None
    punct = text[k]
    last = _tok_before(ctx, k + 1)
    if last is None:
        return None
    # Walk back through the sentence to the nearest cue verb.
    j = last.i
    steps = 0
    while j >= 0 and steps < MAX_ATTRIBUTION_TOKENS:
        t = doc[j]
        if (t.text in _SENTENCE_END and j != last.i) or "\n" in t.text or ctx.quote_of_token[j] >= 0:
            break
        if _is_cue_verb(t, ctx.lex, classes):
            if punct not in ":," and not (j == last.i or (j == last.i - 1 and doc[last.i].lower_ == "that")):
                return None
            subj = _subject(t)
            if subj is None:
                return None
            cue, cs, ce = _cue_text(ctx, t)
            return t, subj, cue, cs, ce, q.outer_end, None
        j -= 1
        steps += 1
    if punct == ":":
        # "Voronin: '...'" -- a short name-like stretch opening the paragraph or the sentence.
        sent_start = ctx.sent_tok[last.i]
        toks = doc[sent_start : last.i]
        named = any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in toks)
        if 1 <= len(toks) <= 6 and named and not any(t.pos_ in ("VERB", "AUX") for t in toks):
            root = max(toks, key=lambda t: (t.pos_ in ("PROPN", "NOUN"), t.i))
            colon = doc[last.i]
            return None, root, ":", colon.idx, colon.idx + 1, q.outer_end, None
    return None


def _inside_unclosed(ctx: _Context, q: QuotedSpan, classes: tuple[str, ...]) -> _Found | None:
    """A quote left open: its attribution may sit inside ("'We will stay, Haddad said. ..."): cut there."""
    doc = ctx.doc
    for k in range(bisect.bisect_left(ctx.starts, q.start), bisect.bisect_left(ctx.starts, q.end)):
        t = doc[k]
        if t.i == 0:
            continue
        if not _is_cue_verb(t, ctx.lex, classes):
            continue
        subj = _subject(t)
        if subj is None:
            continue
        left = min(_speaker_span(doc, subj)[0], t.i)
        if left == 0 or doc[left - 1].text != ",":
            continue
        right = _clause_end(doc, t, subj)
        after = _tok_at(ctx, right)
        if after is None or after.text not in _SENTENCE_END | {","}:
            continue
        cue, cs, ce = _cue_text(ctx, t)
        return t, subj, cue, cs, ce, right, doc[left - 1].idx
    return None


def _para_end(ctx: _Context, char: int) -> int:
    for s, e in ctx.paras:
        if s <= char <= e:
            return e
    return len(ctx.text)


def _continues(
    ctx: _Context, qi: int, attributed: dict[int, Attribution], clause_end: dict[int, int]
) -> Attribution | None:
    """'"...," he said, "..."': the second part belongs to the first when only the attribution is between."""
    if qi == 0 or (qi - 1) not in attributed or (qi - 1) not in clause_end:
        return None
    q, prev = ctx.quotes[qi], ctx.quotes[qi - 1]
    if q.open is None:
        return None
    between = ctx.text[clause_end[qi - 1] : q.open]
    if prev.close is None or not clause_end[qi - 1] > prev.close:
        return None
    if between.strip(" ,.:;\t") != "" or "\n" in between:
        return None
    return attributed[qi - 1]


def _fragment(ctx: _Context, q: QuotedSpan, used: set[int]) -> tuple[Attribution, Token | None] | None:
    """A quoted fragment under a cue verb: partial ("called it 'a farce'"), or mixed inside indirect speech."""
    doc = ctx.doc
    toks = [doc[k] for k in range(bisect.bisect_left(ctx.starts, q.start), bisect.bisect_left(ctx.starts, q.end))]
    if not toks:
        return None
    classes = ("speech", "partial", "report", "cognition")
    node: Token | None = toks[0]
    best: Token | None = None
    path: list[Token] = []
    while node is not None:
        path.append(node)
        if node.i != toks[0].i and _is_cue_verb(node, ctx.lex, classes) and ctx.quote_of_token[node.i] < 0:
            best = node
            break
        if node.head.i == node.i:
            break
        node = node.head
    if best is None:
        return None
    subj = _subject(best)
    if subj is None or subj.lower_ in ctx.lex.first_second_person:
        return None
    # Which child of the cue verb holds the fragment: a complement clause makes it mixed.
    child = path[-2] if len(path) >= 2 else toks[0]
    cue, cs, ce = _cue_text(ctx, best)
    used.add(best.i)
    comp = next((c for c in best.children if c.dep_ == "ccomp"), None)
    if child.dep_ in ("ccomp", "xcomp") and best.lemma_.lower() not in ctx.lex.partial:
        start, end = _complement_bounds(doc, child)
        a = Attribution("mixed", start, end, cue, cs, ce, _speaker_ref(ctx, subj))
    elif comp is not None and best.lemma_.lower() not in ctx.lex.partial and comp.i > best.i:
        # 'X said "maybe" the conduct should be looked at': the fragment hangs off the verb, not the clause.
        start, end = _complement_bounds(doc, comp)
        a = Attribution("mixed", min(start, q.start), max(end, q.end), cue, cs, ce, _speaker_ref(ctx, subj))
    elif ctx.lex.cue_class(best.lemma_.lower()) in ("report", "cognition"):
        return None
    else:
        a = Attribution("partial", q.start, q.end, cue, cs, ce, _speaker_ref(ctx, subj))
    a.parts = [(a.start, a.end)]
    _trim_content(ctx.text, a)
    return a, best


def _standalone(ctx: _Context, q: QuotedSpan) -> bool:
    """A quote that is a sentence of its own (its speaker named earlier), not a scare quote or a subheading."""
    text = ctx.text
    if _words(text[q.start : q.end]) < MIN_STANDALONE_WORDS:
        return False
    before = text[: q.outer_start].rstrip(" \t")
    if before and before[-1] not in '.!?\n:…"”':
        return False
    inner = text[q.start : q.end].rstrip()
    tail = text[q.outer_end : q.outer_end + 2]
    return bool(inner) and (inner[-1] in ".!?…" or tail[:1] in (".", "!", "?"))


def _trim_content(text: str, a: Attribution) -> None:
    s, e = a.start, a.end
    while s < e and (text[s].isspace() or text[s] in "\"'“”«»„‘’"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-\"'“”«»„‘’"):
        e -= 1
    if e > s:
        a.start, a.end = s, e


# ------------------------------------------------------------------------------------ indirect speech


def _complement_bounds(doc: Doc, comp: Token) -> tuple[int, int]:
    left, right = comp.left_edge.i, comp.right_edge.i
    while left < right and (doc[left].dep_ == "mark" or doc[left].is_punct or doc[left].lower_ == "that"):
        left += 1
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


# Complements of an object that belong to the content ("praised Putin as a strong leader").
_OBJECT_PREPS = {"as", "for", "of", "over", "about", "on", "in"}


def _content_of(ctx: _Context, verb: Token, infinitive: bool, objective: bool) -> tuple[Token, int, int] | None:
    """The content of a cue verb with no quote: its clause, an infinitive, a parenthetical's host clause
    ("Their job, they argued, was ..."), or its direct object."""
    doc = ctx.doc
    comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if comp is None and infinitive:
        comp = next((c for c in verb.children if c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children)), None)
        if comp is not None:
            # "called on the Council to act", "urged Congress to act": the addressee belongs to the content.
            start, end = _complement_bounds(doc, comp)
            addressee = next(
                (
                    c
                    for c in verb.children
                    if verb.i < c.i < comp.i and (c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("on", "upon")))
                ),
                None,
            )
            if addressee is not None:
                first = addressee.left_edge if addressee.dep_ == "dobj" else doc[addressee.i + 1]
                start = min(start, first.idx)
            return comp, start, end
    if comp is not None:
        return (comp, *_complement_bounds(doc, comp))
    if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
        host = verb.head
        start, end = _complement_bounds(doc, host)
        return host, start, end
    if objective:
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "oprd")), None)
        # A pronoun object is the content too ("condemned him"): PolNeAR-style stances name their target.
        # Relative and first/second-person pronouns are not ("the deal that X backed", "told me").
        if obj is None or obj.lower_ in _RELATIVE or obj.lower_ in ctx.lex.first_second_person:
            return None
        last = obj.right_edge.i
        for c in verb.rights:
            # The predicate of a small clause belongs to it too ("showed Trump ahead").
            if c.i > obj.i and (
                c.dep_ in ("oprd", "xcomp", "ccomp")
                or (c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS)
                or (c.dep_ == "advmod" and c.i == obj.right_edge.i + 1)
            ):
                last = max(last, c.right_edge.i)
        left = obj.left_edge.i
        while last > left and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        return obj, doc[left].idx, doc[last].idx + len(doc[last].text)
    lemma = verb.lemma_.lower()
    for c in verb.rights:
        if c.dep_ != "prep" or not (
            c.lower_ in ctx.lex.prepositions or (c.lower_ == "for" and lemma in ctx.lex.for_verbs)
        ):
            continue
        pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
            left, last = pobj.left_edge.i, pobj.right_edge.i
            while last > left and (doc[last].is_punct or doc[last].is_space):
                last -= 1
            return pobj, doc[left].idx, doc[last].idx + len(doc[last].text)
    return None


def _noun_cues(ctx: _Context, used_spans: list[tuple[int, int]]) -> list[tuple[Attribution, Token | None]]:
    """ "X's claim that ...", "a warning by X that ...", "X issued a statement that ...": the clause is the content."""
    doc, lex = ctx.doc, ctx.lex
    out: list[tuple[Attribution, Token | None]] = []
    for t in doc:
        if t.pos_ != "NOUN" or t.lemma_.lower() not in lex.nouns_cue or ctx.quote_of_token[t.i] >= 0:
            continue
        clause = next(
            (
                c
                for c in t.rights
                if c.dep_ in ("acl", "ccomp")
                and c.pos_ in ("VERB", "AUX")
                and any(g.dep_ in ("mark", "aux") and g.lower_ in ("that", "to") for g in c.children)
            ),
            None,
        )
        if clause is None:
            continue
        src = next((c for c in t.children if c.dep_ == "poss"), None)
        if src is None:
            by = next((c for c in t.rights if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
            src = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        if src is None and t.dep_ in ("dobj", "attr") and t.head.pos_ in ("VERB", "AUX"):
            src = _subject(t.head)
        if src is None or src.lower_ in lex.first_second_person or src.lower_ in _RELATIVE:
            continue
        start, end = _complement_bounds(doc, clause)
        if any(_overlap(start, end, s, e) > 0.5 for s, e in used_spans):
            continue
        inside = any(ctx.quote_of_token[k] >= 0 for k in range(clause.left_edge.i, clause.right_edge.i + 1))
        a = Attribution(
            "mixed" if inside else "indirect", start, end, t.text, t.idx, t.idx + len(t.text), _speaker_ref(ctx, src)
        )
        a.parts = [(start, end)]
        out.append((a, None))
    return out


# A headline line opening the text: short, and no sentence break inside it.
MAX_HEADLINE_WORDS = 20
_HEADLINE_VERB = re.compile(
    r"^(?P<spk>[A-Z][^:.!?]{0,60}?)\s+(?P<cue>[A-Z][a-z]+s)(?:\s+[Tt]hat)?\s+(?P<q>\S.*?)[.!?]?\s*$"
)


def _headline_line(ctx: _Context, taken: list[tuple[int, int]]) -> list[tuple[Attribution, Token | None]]:
    """A headline kept as the text's first line: "Minister: We will stay" or, in title case where the parse
    is unreliable, "Minister Says Pause Will Not Be Extended" (a present-tense cue verb between them)."""
    if not ctx.paras:
        return []
    ps, pe = ctx.paras[0]
    line = ctx.text[ps:pe]
    body = line.rstrip().rstrip(".!?")
    if _words(line) > MAX_HEADLINE_WORDS or (any(ch in body for ch in ".!?") and not _HEADLINE_COLON.match(line)):
        return []
    hq = headline_quote(line)
    cue: str | None = ":"
    if hq is not None:
        spk_start, spk_text = ps + hq.speaker_start, hq.speaker
        q_start = ps + hq.content_start
        q_end = q_start + len(hq.content)
        cue_start = ps + line.index(":", hq.speaker_start + len(spk_text)) if ":" in line else None
    else:
        m = _HEADLINE_VERB.match(line)
        if m is None or m.group("cue").lower()[:-1] not in ctx.lex.speech | ctx.lex.report:
            return []
        spk_start, spk_text = ps + m.start("spk"), m.group("spk")
        q_start, q_end = ps + m.start("q"), ps + m.end("q")
        cue, cue_start = m.group("cue"), ps + m.start("cue")
    if any(_overlap(q_start, q_end, s, e) > 0.5 for s, e in taken):
        return []
    a = Attribution(
        "indirect",
        q_start,
        q_end,
        cue,
        cue_start,
        cue_start + len(cue) if cue_start is not None and cue else None,
        SpeakerRef(spk_text, spk_start, spk_start + len(spk_text)),
    )
    _trim_content(ctx.text, a)
    a.parts = [(a.start, a.end)]
    return [(a, None)]


def _indirect(
    ctx: _Context, used: set[int], direct: list[tuple[Attribution, Token | None]]
) -> list[tuple[Attribution, Token | None]]:
    doc, lex = ctx.doc, ctx.lex
    out: list[tuple[Attribution, Token | None]] = []
    taken = [(a.start, a.end) for a, _ in direct]
    for t in doc:
        if t.i in used or ctx.quote_of_token[t.i] >= 0:
            continue
        lemma = t.lemma_.lower()
        cls = lex.cue_class(lemma)
        infinitive, objective = lemma in lex.infinitive, lemma in lex.objects
        if cls not in ("speech", "report", "cognition") and not infinitive and not objective:
            continue
        if not _is_cue_verb(t, lex, ("speech", "report", "cognition", "infinitive", "objects")):
            continue
        bounds = _content_of(ctx, t, infinitive, objective)
        if bounds is None:
            continue
        comp, start, end = bounds
        subj = _subject(t)
        if subj is None or subj.lower_ in lex.first_second_person or subj.lower_ in _RELATIVE:
            continue
        if subj.lower_ in ("it", "there", "this", "that") and cls != "speech":
            continue
        if end - start < 3:
            continue
        s_left, s_right = _speaker_span(doc, subj)
        sp_start, _sp_end = doc[s_left].idx, doc[s_right - 1].idx + len(doc[s_right - 1].text)
        if start <= sp_start < end:
            continue  # a parse that put the speaker inside its own words
        inside = sum(1 for k in range(comp.left_edge.i, comp.right_edge.i + 1) if ctx.quote_of_token[k] >= 0)
        span_len = comp.right_edge.i - comp.left_edge.i + 1
        if inside > 0.6 * span_len and any(_overlap(start, end, s, e) > 0.5 for s, e in taken):
            continue  # the direct quote already covers it
        has_fragment = inside > 0
        cue, cs, ce = _cue_text(ctx, t)
        a = Attribution("mixed" if has_fragment else "indirect", start, end, cue, cs, ce, _speaker_ref(ctx, subj))
        a.parts = [(start, end)]
        used.add(t.i)
        out.append((a, t))
    return out


def _according_to(
    ctx: _Context, found: list[tuple[Attribution, Token | None]]
) -> list[tuple[Attribution, Token | None]]:
    doc, text = ctx.doc, ctx.text
    out: list[tuple[Attribution, Token | None]] = []
    for t in doc:
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
            continue
        if ctx.quote_of_token[t.i] >= 0:
            continue
        to = doc[t.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        sent_start, sent_end = ctx.sent_tok[t.i], ctx.sent_end[t.i]
        phrase_end = pobj.right_edge.i + 1
        # Direct quotes already took "'...,' according to X".
        if any(a.cue and a.cue.lower().startswith("according") and a.cue_start == t.idx for a, _ in found):
            continue
        before_toks = [x for x in doc[sent_start : t.i] if not x.is_punct]
        after_toks = [x for x in doc[phrase_end:sent_end] if not x.is_punct]
        if not before_toks and not after_toks:
            continue
        if not before_toks or (after_toks and t.head.i >= phrase_end):
            first, last = after_toks[0], after_toks[-1]
        else:
            first, last = before_toks[0], before_toks[-1]
        start, end = first.idx, last.idx + len(last.text)
        cue = text[t.idx : to.idx + len(to.text)]
        a = Attribution("according_to", start, end, cue, t.idx, to.idx + len(to.text), _speaker_ref(ctx, pobj))
        a.parts = [(start, end)]
        _trim_content(text, a)
        out.append((a, None))
    return out


# ----------------------------------------------------------------------------------- speaker records


def _speaker_ref(ctx: _Context, head: Token) -> SpeakerRef:
    doc = ctx.doc
    left, right = _speaker_span(doc, head)
    start, end = doc[left].idx, doc[right - 1].idx + len(doc[right - 1].text)
    return SpeakerRef(text=ctx.text[start:end], start=start, end=end)


def _head_of(doc: Doc, ref: SpeakerRef) -> SpacySpan | None:
    return doc.char_span(ref.start, ref.end, alignment_mode="expand")


def _actor_dict(a: Actor | None) -> dict[str, str | None] | None:
    if a is None or (a.country is None and a.sector is None):
        return None
    return {"country": a.country, "sector": a.sector}


def _actor_in(actors: list[Actor], start: int, end: int, head_char: int | None = None) -> Actor | None:
    """The actor mention covering the speaker's head, else the longest one inside the speaker span."""
    inside = [a for a in actors if a.start < end and start < a.end]
    if not inside:
        return None
    if head_char is not None:
        for a in inside:
            if a.start <= head_char < a.end:
                return a
    coded = [a for a in inside if a.name or a.country]
    pool = coded or inside
    return max(pool, key=lambda a: a.end - a.start)


def _gender_of_name(lex: Lexicon, words: list[str]) -> Gender:
    for w in words:
        g = lex.gender_words.get(w.lower().rstrip("."))
        if g:
            return g
    for w in words:
        g = lex.first_names.get(w.lower())
        if g:
            return g
    return ""


def _mentions(ctx: _Context) -> list[_Mention]:
    """Named people and organisations outside direct quotes, in text order, with gender and title words."""
    doc, lex = ctx.doc, ctx.lex
    out: list[_Mention] = []
    by_surname: dict[str, _Mention] = {}
    untagged = _untagged_names(ctx)
    ctx.full_names = _full_names(ctx, untagged)
    spans = [e for e in doc.ents if not (ctx.quote_of_token[e.start] >= 0 and not _open_quote(ctx, e.start))]
    for ent in sorted([*spans, *untagged], key=lambda e: e.start):
        if ent.label_ in ("PERSON", "") and _is_name(lex, ent.text.split()):
            out.append(_person_mention(ctx, ent, by_surname))
        elif ent.label_ in ("ORG", "GPE", "NORP") and (alone := _surname_alone(ctx, ent)) is not None:
            # "Surin told reporters": the parser took a bare surname for a place; the article named him in full.
            out.append(_person_mention(ctx, alone, by_surname))
        elif ent.label_ == "ORG" and _after_title_of(ctx, ent) and _given_name_first(lex, _name_words(ctx, ent)):
            # "Governor of Homs [Tarek Nassif]" tagged as one organisation: a known given name starts a name.
            out.append(_person_mention(ctx, ent, by_surname))
        elif ent.label_ in ("ORG", "GPE", "NORP"):
            actor = _actor_in(ctx.actors, ent.start_char, ent.end_char)
            out.append(
                _Mention(
                    start=ent.start_char,
                    end=ent.end_char,
                    sent=ctx.sent_char[ent.start],
                    name=(actor.name if actor and actor.name else ent.text),
                    gender="",
                    role=" " + ent.text.lower() + " ",
                    kind="organisation",
                    actor=_actor_dict(actor),
                    country=actor.country if actor else None,
                    subject=ent.root.dep_ in _SUBJECT_DEPS,
                    plural=ent.label_ == "NORP",
                )
            )
    return sorted(out, key=lambda m: m.start)


def _untagged_names(ctx: _Context) -> list[SpacySpan]:
    """Names the parser did not tag as people (label ""): a proper-noun phrase that starts with a known given
    name after any titles ("Lt Gen [Pavel Orlov]"), or a surname alone of a person the article names in full
    (tagged or not)."""
    doc, lex = ctx.doc, ctx.lex
    covered = {i for ent in doc.ents if ent.label_ in _MENTION_LABELS for i in range(ent.start, ent.end)}
    named: list[SpacySpan] = []
    alone: list[Token] = []
    for t in doc:
        if t.pos_ != "PROPN" or t.i in covered or t.dep_ == "compound" or ctx.quote_of_token[t.i] >= 0:
            continue
        left = t.i
        while left > 0 and doc[left - 1].dep_ == "compound" and doc[left - 1].pos_ == "PROPN":
            left -= 1
        while left < t.i and _is_title_word(lex, doc[left].text):
            left += 1
        if left < t.i and doc[left].lower_ in lex.first_names:
            named.append(doc[left : t.i + 1])
        elif left == t.i:
            alone.append(t)
    surnames = {e[-1].text for e in named} | {
        e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(_strip_titles(lex, e.text.split())) >= 2
    }
    return named + [doc[t.i : t.i + 1] for t in alone if t.text in surnames]


def _full_names(ctx: _Context, untagged: list[SpacySpan]) -> dict[str, str]:
    """Surname (as written) -> the first full name the article gives it ("Surin" -> "Oleg Surin")."""
    out: dict[str, str] = {}
    people = [e for e in ctx.doc.ents if e.label_ == "PERSON"]
    for ent in sorted([*people, *untagged], key=lambda e: e.start):
        if ctx.quote_of_token[ent.start] >= 0 and not _open_quote(ctx, ent.start):
            continue
        words = _name_words(ctx, ent)
        if len(words) >= 2 and _is_name(ctx.lex, words):
            out.setdefault(words[-1], " ".join(words))
    return out


def _surname_alone(ctx: _Context, ent: SpacySpan) -> SpacySpan | None:
    """The one proper noun of an entity ("the Surin" never, "Surin" yes) when it is a full name's surname."""
    toks = [t for t in ent if t.pos_ != "DET"]
    if len(toks) == 1 and toks[0].text in ctx.full_names:
        return ctx.doc[toks[0].i : toks[0].i + 1]
    return None


def _given_name_first(lex: Lexicon, words: list[str]) -> bool:
    return len(words) >= 2 and words[0].lower() in lex.first_names and _is_name(lex, words[1:])


def _looks_like_person(lex: Lexicon, toks: list[Token]) -> bool:
    if any(t.ent_type_ == "PERSON" for t in toks):
        return True
    names = [t for t in toks if t.pos_ == "PROPN"]
    return len(names) >= 2 and names[0].lower_ in lex.first_names


def _is_title_word(lex: Lexicon, word: str) -> bool:
    """A word of a title written before a name ("Dr", "Lt", "Deputy", "Foreign", "Minister"), never a name
    particle ("Umm", "Abu", "al")."""
    low = word.lower().rstrip(".,")
    if low in lex.name_particles:
        return False
    return low in lex.title_words or low in lex.nouns


def _is_name(lex: Lexicon, words: list[str]) -> bool:
    """A person's name has a capitalised word that is not a particle or a title: "al" or "Minister" is not one."""
    return any(w[:1].isupper() and w.lower() not in lex.name_particles and not _is_title_word(lex, w) for w in words)


def _strip_titles(lex: Lexicon, words: list[str]) -> list[str]:
    """ "Dr Rami Sawwaf" -> "Rami Sawwaf", "Lt Gen Oleg Surin" -> "Oleg Surin", "Governor of Aleppo Marwan
    Qassab" -> "Marwan Qassab"; "Umm Mahmoud" and "Abu Khaled" stay whole (a particle starts a name)."""
    k = 0
    while k < len(words) - 1 and _is_title_word(lex, words[k]):
        k += 1
    if 0 < k < len(words) - 1 and words[k].lower() in ("of", "for", "to"):
        return _after_complement(lex, words[k + 1 :])
    return words[k:]


def _after_complement(lex: Lexicon, words: list[str]) -> list[str]:
    """The name after a title's complement ("[of] Aleppo Marwan Qassab"): from the first known given name, else
    the last two words (a given name and a surname)."""
    for j, w in enumerate(words):
        if j > 0 and w.lower() in lex.first_names and words[j - 1].lower() not in lex.name_particles:
            return words[j:]
    return words[-2:] if len(words) > 2 else words


def _name_words(ctx: _Context, ent: SpacySpan) -> list[str]:
    """The words of a person's name in a PERSON entity, without the titles the parser left in it; an entity
    right after a title's "of" ("Governor of [Aleppo Marwan Qassab]") starts with the complement."""
    words = _strip_titles(ctx.lex, ent.text.split())
    if len(words) > 2 and _after_title_of(ctx, ent):
        words = _after_complement(ctx.lex, words)
    return words


def _after_title_of(ctx: _Context, ent: SpacySpan) -> bool:
    """The entity follows a capitalised title and its "of"/"for": "Governor of [...]", "Minister for [...]"."""
    k = ent.start - 1
    return (
        k > 0
        and ctx.doc[k].lower_ in ("of", "for")
        and ctx.doc[k - 1].text[:1].isupper()
        and _is_title_word(ctx.lex, ctx.doc[k - 1].text)
    )


def _same_person(lex: Lexicon, name: str, words: list[str]) -> bool:
    """An actor's canonical name is this person's only if it holds the surname as written."""
    return bool(words) and words[-1].lower() in [w.lower() for w in _strip_titles(lex, name.split())]


def _same_name(lex: Lexicon, a: str, b: str) -> bool:
    """ "Sergei Lavrov" and "Sergey Lavrov" are one name (same surname and initial); "Kristin Berg" and "Ingrid
    Berg" are namesakes."""
    x, y = _strip_titles(lex, a.split()), _strip_titles(lex, b.split())
    if not x or not y or x[-1].lower() != y[-1].lower():
        return False
    return len(x) < 2 or len(y) < 2 or x[0][:1].lower() == y[0][:1].lower()


def _open_quote(ctx: _Context, tok_i: int) -> bool:
    qi = ctx.quote_of_token[tok_i]
    return qi >= 0 and ctx.quotes[qi].open is None


def _person_mention(ctx: _Context, ent: SpacySpan, by_surname: dict[str, _Mention]) -> _Mention:
    doc, lex = ctx.doc, ctx.lex
    role_words = [t.lower_ for t in doc[ent.root.left_edge.i : ent.start] if not t.is_punct]
    for c in ent.root.children:
        if c.dep_ == "appos":
            role_words += [t.lower_ for t in c.subtree]
    if ent.root.dep_ == "appos":
        role_words += [t.lower_ for t in ent.root.head.subtree if t.i < ent.start or t.i >= ent.end]
    # The actor mention holding the name's last word: "Surin, head of the Directorate" is Surin, not the
    # Directorate.
    actor = _actor_in(ctx.actors, ent.start_char, ent.end_char, ent.end_char - 1)
    if actor is not None and not (actor.start <= ent.end_char - 1 < actor.end):
        actor = None
    if actor is not None and len(actor.text) > len(ent.text):
        role_words += actor.text.lower().split()
    words = _name_words(ctx, ent)
    role_words += [w.lower() for w in ent.text.split() if w not in words]
    # The name: an earlier fuller mention of the same surname in the article, else the article's full name for
    # it, else the actor's canonical name when it is this person's (an actor whose name lacks the surname is
    # the organisation around the name, or a namesake in the knowledge base), else the words as written.
    surname = words[-1].lower() if words else ""
    earlier = by_surname.get(surname)
    actor_name = (
        " ".join(_strip_titles(lex, actor.name.split()))
        if actor is not None and actor.name and _same_person(lex, actor.name, words)
        else None
    )
    name: str | None = actor_name or " ".join(words)
    gender = _gender_of_name(lex, role_words + words)
    # A namesake: the actors stage resolved the bare surname to another person of its knowledge base.
    namesake = False
    if earlier is not None and len(words) < len((earlier.name or "").split()):
        name = earlier.name
        gender = gender or earlier.gender
        role_words += earlier.role.split()
        namesake = actor is not None and bool(actor.name) and not _same_name(lex, actor.name or "", name or "")
        if earlier.country is not None or actor is None or namesake:
            actor_d, country = earlier.actor, earlier.country
        else:
            actor_d, country = _actor_dict(actor), actor.country
    else:
        if len(words) == 1 and words[0] in ctx.full_names:
            name = ctx.full_names[words[0]]
            namesake = actor is not None and bool(actor.name) and not _same_name(lex, actor.name or "", name)
        actor_d, country = (None, None) if namesake or actor is None else (_actor_dict(actor), actor.country)
    m = _Mention(
        start=ent.start_char,
        end=ent.end_char,
        sent=ctx.sent_char[ent.start],
        name=name,
        gender=gender,
        role=" " + " ".join(role_words) + " ",
        kind="person",
        actor=actor_d,
        country=country,
        subject=ent.root.dep_ in _SUBJECT_DEPS,
    )
    if surname and (earlier is None or len(words) >= len((earlier.name or "").split())):
        by_surname[surname] = m
    return m


def _classify(doc: Doc, span: SpacySpan, lex: Lexicon) -> tuple[SpeakerKind | Literal["pronoun", "anaphor"], Token]:
    head = span.root
    low = head.lower_
    if head.pos_ == "PRON" or low in lex.pronouns:
        return "pronoun", head
    # The owner in "Lavrov's spokesman" is not the speaker: leave possessors out of the core.
    owned = {t.i for c in head.children if c.dep_ == "poss" for t in c.subtree}
    core = [t for t in span if t.i <= head.i and t.i not in owned]
    if _looks_like_person(lex, core):
        return "person", head
    dets = [c for c in head.children if c.dep_ in ("det", "nummod", "amod", "quantmod") and c.i < head.i]
    det_words = {d.lower_ for d in dets}
    possessed = any(c.dep_ == "poss" for c in head.children)
    plural = head.tag_ in ("NNS", "NNPS")
    indefinite = det_words & lex.indefinite or (plural and not det_words & {"the", "these", "those"})
    if (head.lemma_.lower() in lex.anonymous_heads or low in lex.anonymous_heads) and (indefinite or possessed):
        return "anonymous", head
    # "the minister", "The Deputy Minister" (a title capitalised is still a role, not a name).
    if (
        (det_words & {"the", "this", "that"} or not dets)
        and head.lemma_.lower() in lex.nouns
        and not any(t.pos_ == "PROPN" and not _is_title_word(lex, t.text) for t in core)
    ):
        return "anaphor", head
    if any(t.ent_type_ in ("ORG", "GPE", "NORP", "FAC") for t in core) or head.pos_ == "PROPN":
        return "organisation", head
    if plural:
        return "group", head
    return "unknown", head


def _resolve_speakers(ctx: _Context, items: list[Attribution]) -> None:
    """Name, actor code and kind for every speaker, in text order (each resolved speaker is a mention for
    the ones after it)."""
    doc, lex = ctx.doc, ctx.lex
    order = sorted((a for a in items if a.speaker is not None), key=lambda a: a.speaker.start)  # type: ignore[union-attr]
    for a in order:
        ref = a.speaker
        assert ref is not None
        span = _head_of(doc, ref)
        if span is None or len(span) == 0:
            continue
        kind, head = _classify(doc, span, lex)
        head_char = head.idx
        own = _actor_in(ctx.actors, ref.start, ref.end, head_char)
        ante: _Mention | None = None
        named = _named_in_title(ctx, head) if kind != "pronoun" else None
        if named is not None:
            # "The Russian ambassador, Gennady Sorokin, said", "Governor of Aleppo Marwan Qassab told": the
            # title's apposition or complement names the speaker.
            ref.kind, ref.name, ref.actor = "person", named.name, named.actor
            named.speaker = named.subject = True
            continue
        if kind in ("organisation", "unknown") and any(
            m.kind == "person" and m.start <= head_char < m.end for m in ctx.mentions
        ):
            kind = "person"  # a surname the parser took for a place ("Surin said")
        if kind == "pronoun":
            ante = _antecedent_pronoun(ctx, head, ref.start)
            ref.kind = ante.kind if ante else ("group" if head.lower_ == "they" else "unknown")
        elif kind == "anaphor":
            ante = _antecedent_nominal(ctx, span, head, ref.start)
            ref.kind = ante.kind if ante else "anonymous"
            if ante is None:
                ref.actor = _actor_dict(own)
        elif kind == "person":
            m = next((m for m in ctx.mentions if m.kind == "person" and ref.start <= m.start < ref.end), None)
            ref.kind = "person"
            if m is not None:
                ref.name, ref.actor = m.name, m.actor
            else:
                words = [t.text for t in span if t.ent_type_ == "PERSON" or t.pos_ == "PROPN"]
                ref.name = " ".join(_strip_titles(lex, words)) if _is_name(lex, words) else None
                ref.actor = _actor_dict(own)
                if own is not None and own.name and _person_like(doc, own):
                    ref.name = own.name
                    ref.actor = _actor_dict(own) or ref.actor
            if not ref.name:
                ref.kind = "unknown"
        else:
            ref.kind = kind
            ref.actor = _actor_dict(own)
            if kind == "organisation":
                ents = [t for t in span if t.ent_type_ in ("ORG", "GPE", "NORP", "FAC")]
                if own is not None and own.name:
                    ref.name = own.name
                elif ents:
                    ref.name = ctx.text[ents[0].idx : ents[-1].idx + len(ents[-1].text)]
                else:
                    ref.name = ref.text
        if ante is not None:
            ref.name = ante.name if ante.kind in ("person", "organisation") else None
            ref.actor = ante.actor
            ref.antecedent = (ante.start, ante.end)
        if (
            kind in ("person", "anonymous", "pronoun", "anaphor", "organisation", "group") and kind != "pronoun"
        ) or ante is not None:
            _add_speaker_mention(ctx, ref, span, kind, ante)


def _named_in_title(ctx: _Context, head: Token) -> _Mention | None:
    """The person a title names: its apposition ("the Russian ambassador, Gennady Sorokin"; "their spokesman
    Karim Haddad"; hung by the parser on the title's last noun: "Britain's ambassador to the UN, Harriet Cole"),
    or the complement of a capitalised title that ends in a name ("Governor of Aleppo Marwan Qassab"). Not the
    complement of a lower-case noun: "the lawyer for John Smith" is the lawyer."""
    cands = [c for c in head.children if c.dep_ == "appos"]
    for prep in head.children:
        if prep.dep_ != "prep" or prep.i < head.i:
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            cands += [c for c in pobj.children if c.dep_ == "appos"]
            if head.text[:1].isupper() and _is_title_word(ctx.lex, head.text) and prep.lower_ in ("of", "for"):
                cands.append(pobj)
    for c in cands:
        m = next((m for m in ctx.mentions if m.kind == "person" and m.start <= c.idx < m.end), None)
        if m is not None and m.name:
            return m
    return None


def _person_like(doc: Doc, actor: Actor) -> bool:
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ == "PERSON" for t in span)


def _add_speaker_mention(ctx: _Context, ref: SpeakerRef, span: SpacySpan, kind: str, ante: _Mention | None) -> None:
    """A speaker is a mention for later pronouns: "A senior diplomat said ... The diplomat added ..."."""
    lex = ctx.lex
    if ante is not None:
        m = _Mention(
            ref.start,
            ref.end,
            ctx.sent_char[span.start],
            ante.name,
            ante.gender,
            ante.role,
            ante.kind,
            ante.actor,
            ante.country,
            True,
            speaker=True,
            plural=ante.plural,
        )
    else:
        words = [t.lower_ for t in span]
        gender = _gender_of_name(lex, words) if kind != "person" else ""
        existing = next((m for m in ctx.mentions if ref.start <= m.start < ref.end and m.kind == "person"), None)
        if existing is not None:
            existing.speaker = True
            existing.subject = True
            return
        sk: SpeakerKind = kind if kind in ("person", "organisation", "group", "anonymous") else "unknown"  # type: ignore[assignment]
        m = _Mention(
            ref.start,
            ref.end,
            ctx.sent_char[span.start],
            ref.name,
            gender,
            " " + " ".join(words) + " ",
            sk,
            ref.actor,
            (ref.actor or {}).get("country"),
            True,
            speaker=True,
            plural=span.root.tag_ in ("NNS", "NNPS"),
        )
    ctx.mentions.append(m)
    ctx.mentions.sort(key=lambda x: x.start)


def _antecedent_pronoun(ctx: _Context, pron: Token, at: int) -> _Mention | None:
    gender, _number, kind = ctx.lex.pronouns.get(pron.lower_, ("", "sg", "person"))
    pool = [m for m in ctx.mentions if m.end <= at and at - m.end <= PRONOUN_WINDOW and not _inside_quote(ctx, m)]
    if kind == "person":
        people = [m for m in pool if m.kind in ("person", "anonymous") and not m.plural]
        exact = [m for m in people if m.gender == gender]
        return _pick_by_sentence(exact) or _pick_by_sentence([m for m in people if m.gender == ""])
    if kind == "group":
        groups = [
            m for m in pool if m.kind in ("group", "organisation", "anonymous") and (m.plural or m.kind != "anonymous")
        ]
        return _pick_by_sentence(groups)
    orgs = [m for m in pool if m.kind == "organisation" and not m.plural]
    return _pick_by_sentence(orgs)


def _inside_quote(ctx: _Context, m: _Mention) -> bool:
    return any(q.start <= m.start < q.end and q.open is not None for q in ctx.quotes)


def _pick_by_sentence(cands: list[_Mention]) -> _Mention | None:
    """The last sentence with a candidate; in it an earlier speaker, else a subject, else the first one."""
    if not cands:
        return None
    last_sent = max(m.sent for m in cands)
    same = [m for m in cands if m.sent == last_sent]
    for pref in (lambda m: m.speaker, lambda m: m.subject):
        hit = [m for m in same if pref(m)]
        if hit:
            return hit[-1]
    return same[0]


def _antecedent_nominal(ctx: _Context, span: SpacySpan, head: Token, at: int) -> _Mention | None:
    lex = ctx.lex
    entry = lex.nouns.get(head.lemma_.lower()) or lex.nouns.get(head.lower_)
    if entry is None:
        return None
    mods = [
        t.lower_
        for t in span
        if t.i < head.i and t.dep_ in ("amod", "compound") and t.lower_ not in ("senior", "top", "former", "new")
    ]
    pool = [
        m
        for m in ctx.mentions
        if m.end <= at
        and at - m.end <= ANAPHOR_WINDOW
        and m.kind in ("person", "anonymous")
        and not m.plural
        and not _inside_quote(ctx, m)
    ]
    for m in reversed(pool):
        if entry.gender and m.gender and entry.gender != m.gender:
            continue
        if entry.titles != ("*",) and not any(f" {t} " in m.role or f" {t}" in m.role for t in entry.titles):
            continue
        if not all(_modifier_fits(mod, m) for mod in mods):
            continue
        return m
    return None


def _modifier_fits(mod: str, m: _Mention) -> bool:
    """ "the Russian envoy": the modifier is in the antecedent's title, or names its country."""
    if f" {mod} " in m.role or f" {mod}" in m.role:
        return True
    stem = mod[:5]
    if len(stem) >= 4 and stem in m.role:
        return True
    return bool(m.country and mod[:3] == m.country[:3].lower())


def _carry_speakers(ctx: _Context, items: list[Attribution]) -> None:
    """Quotes with no cue of their own take the last speaker of the same or a recent paragraph."""
    last: Attribution | None = None
    for a in items:
        if a.speaker is not None:
            last = a
            continue
        if a.cue is not None:
            continue
        here = ctx.paragraph_of(a.start)
        if last is not None and last.speaker is not None and here - ctx.paragraph_of(last.end) <= CARRY_PARAGRAPHS:
            s = last.speaker
            a.speaker = SpeakerRef(s.text, s.start, s.end, s.name, s.actor, s.kind, s.antecedent)
            continue
        # No earlier speaker: the person the previous sentence or paragraph is about ("X spoke to reporters.").
        pool = [
            m
            for m in ctx.mentions
            if m.kind == "person"
            and m.end <= a.start
            and here - ctx.paragraph_of(m.start) <= 1
            and not _inside_quote(ctx, m)
        ]
        m = _pick_by_sentence(pool)
        if m is not None:
            a.speaker = SpeakerRef(ctx.text[m.start : m.end], m.start, m.end, m.name, m.actor, "person", None)
    # Unattributed standalone quotes that found no speaker are not attributions.
    items[:] = [a for a in items if a.speaker is not None or a.cue is not None]
