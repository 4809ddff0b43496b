"""Actors: mention -> {name, country, sector, sector2}, and the pipeline stage that finds them in an article.

- `kb.KnowledgeBase`: packaged knowledge (data/actors/) plus users' dictionaries; `KnowledgeBase.load()`.
- `resolve`: the rules for one mention (`kb.resolve(mention, context, date) -> Resolution`).
- `coref`: in-article links ("Ryabkov", "the diplomat", "he") back to the full mention.
- `annotate.ActorAnnotator`: the pipeline stage filling `analysis.actors`.
- `importer`: converts the PETRARCH/PLOVER dictionaries into the shipped data.
- `cli.actor_command`: `eventdesk actor`.
"""

from eventdesk.actors.annotate import ActorAnnotator
from eventdesk.actors.coref import resolve_in_article
from eventdesk.actors.kb import KnowledgeBase
from eventdesk.actors.resolve import Resolution

__all__ = ["ActorAnnotator", "KnowledgeBase", "Resolution", "resolve_in_article"]
