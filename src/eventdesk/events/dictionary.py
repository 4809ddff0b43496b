"""Users' own PETRARCH-format verb dictionaries (`--dictionary FILE`), so a team's CAMEO dictionaries work.

Owns recognising a verb dictionary among the files a user passes (actor and agent dictionaries go to the
actor stage) and reading it into verb rows (lexicon.py indexes them ahead of the packaged data). The format
is PETRARCH's (synsets `&NAME` / `+word`, blocks `--- NAME [code] ---`, verbs `WORD [code]`, patterns
`- * OBJECT (PREP NOUN) [code]`); see importer.read_verb_file for what of a pattern is kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from eventdesk.events.importer import VerbRow, convert_verbs

_BLOCK = re.compile(r"^---\s+\S.*\[[^\]]*\]\s*---", re.MULTILINE)


def is_verb_dictionary(path: Path) -> bool:
    """A PETRARCH verb dictionary has `--- NAME [code] ---` block lines; actor/agent files do not."""
    try:
        head = path.read_text("utf-8", errors="replace")[:200_000]
    except OSError:
        return False
    return bool(_BLOCK.search(head))


def read(path: Path) -> list[VerbRow]:
    return convert_verbs(path.read_text("utf-8", errors="replace"))
