"""PLOVER/CAMEO event coding: ontology, lexicon, dependency patterns, modality and the pipeline stage.

- `ontology.load()`: types, modes, scores, the CAMEO -> PLOVER table.
- `lexicon.load(dictionaries)`: event words (packaged + users' PETRARCH verb dictionaries).
- `patterns.SentenceCoder`: frames of one sentence; `modality`: negation and modality.
- `annotate.EventAnnotator`: the pipeline stage filling `analysis.events`.
- `importer`: rebuilds the packaged data from the upstream files; `dictionary`: users' verb files.
"""

from eventdesk.events.annotate import EventAnnotator

__all__ = ["EventAnnotator"]
