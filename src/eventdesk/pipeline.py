"""analyze(): the fixed order of stages, and the Resources every worker loads once.

A pure core: no I/O, no global state. Engines, the store and the CLI wrap it.
Each annotator is a callable `(doc, analysis, resources) -> None` that fills its own list in `analysis`
and may read what the annotators before it filled (times before places before actors before quotes before
events). An annotator that raises costs that article its annotations from that stage, never the batch:
the failure is recorded in `analysis.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventdesk import errors, nlp
from eventdesk.ingest.outlets import OutletRegistry
from eventdesk.loading import gc_paused
from eventdesk.model import Analysis, Article

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Annotator = Callable[["Doc", Analysis, "Resources"], None]


@dataclass
class Resources:
    """What a worker loads once and shares read-only across articles."""

    nlp: Language
    outlets: OutletRegistry
    annotators: list[tuple[str, Annotator]] = field(default_factory=list)
    # Knowledge loaded by annotator modules, keyed by module name (e.g. "geo" -> gazetteer).
    knowledge: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, outlet_files: Sequence[Path] = (), dictionaries: Sequence[Path] = ()) -> Resources:
        with gc_paused():  # the gazetteer, the actor knowledge and the lexicon: see eventdesk.loading
            res = cls(nlp=nlp.load(), outlets=OutletRegistry.load(outlet_files))
            res.annotators = default_annotators(dictionaries)
        return res


def default_annotators(dictionaries: Sequence[Path] = ()) -> list[tuple[str, Annotator]]:
    """The stages in their fixed order. Stages land with their issues; until then their lists stay empty.

    `dictionaries` are users' PETRARCH-format or CSV dictionaries (`--dictionary FILE`): verb dictionaries go
    to the event coder, actor and agent dictionaries to the actor stage.
    """
    from eventdesk.actors import ActorAnnotator
    from eventdesk.events.annotate import EventAnnotator
    from eventdesk.geo import GeoAnnotator
    from eventdesk.quotes import QuoteAnnotator
    from eventdesk.timex import TimexAnnotator

    verbs, actor_files = split_dictionaries(dictionaries)
    actors = ActorAnnotator(actor_files)
    return [
        ("times", TimexAnnotator()),
        ("places", GeoAnnotator()),
        ("actors", actors),
        ("quotes", QuoteAnnotator()),
        ("events", EventAnnotator(verbs, kb=actors.kb)),  # one actor knowledge base for both stages
    ]


def split_dictionaries(dictionaries: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(verb dictionaries, actor/agent dictionaries) among the files a user passed."""
    from eventdesk.events.dictionary import is_verb_dictionary

    verbs = [Path(p) for p in dictionaries if is_verb_dictionary(Path(p))]
    return verbs, [Path(p) for p in dictionaries if Path(p) not in verbs]


def analyze(article: Article, resources: Resources) -> Analysis:
    """One article -> its Analysis (parses it; use `analyze_batch` for many)."""
    return next(iter(analyze_batch([article], resources)))


def analyze_batch(articles: Iterable[Article], resources: Resources, batch_size: int = 16) -> Iterator[Analysis]:
    """Articles -> Analyses in the same order, parsing with `nlp.pipe` in batches."""
    arts = list(articles) if not isinstance(articles, list) else articles
    texts = (a.text[: nlp.MAX_CHARS] for a in arts)
    for article, doc in zip(arts, resources.nlp.pipe(texts, batch_size=batch_size), strict=True):
        yield annotate(doc, article, resources)


def annotate(doc: Doc, article: Article, resources: Resources) -> Analysis:
    analysis = Analysis(article=article)
    if len(article.text) > nlp.MAX_CHARS:
        analysis.errors.append(errors.problem("W104", chars=len(article.text), limit=nlp.MAX_CHARS))
    for name, annotator in resources.annotators:
        try:
            annotator(doc, analysis, resources)
        except Exception as exc:  # an annotator bug costs this article one stage, not the run
            analysis.errors.append(errors.problem("E900", stage=name, error=f"{type(exc).__name__}: {exc}"))
    return analysis
