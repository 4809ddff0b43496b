"""The PLOVER ontology as data: event types, quad classes, modes and their scores, contexts, and the
CAMEO -> PLOVER table, loaded once from `data/events/` (ontology.toml, cameo2plover.tsv).

Owns: turning a (type, mode) into its quad code and score, a CAMEO code into its PLOVER triple, and the
nearest CAMEO code of a PLOVER type. It holds no linguistic rules.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path


def data_dir() -> Path:
    return Path(str(importlib_resources.files("eventdesk") / "data" / "events"))


@dataclass(frozen=True, slots=True)
class Triple:
    """What a CAMEO code means in PLOVER: event, mode ("" = none), contexts."""

    event: str
    mode: str
    contexts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    quad: str  # e.g. VERBAL_CONFLICT
    score: float
    cameo: str  # root CAMEO code
    modes: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Ontology:
    types: dict[str, EventType]
    cameo: dict[str, Triple]
    contexts: frozenset[str]
    aliases: dict[str, str]

    def canonical(self, name: str) -> str | None:
        """A type name, old names included (DEMAND -> REQUEST); None if it is not a PLOVER type."""
        up = name.strip().upper()
        up = self.aliases.get(up, up)
        return up if up in self.types else None

    def triple(self, code: str) -> Triple | None:
        """A CAMEO code -> its PLOVER triple, falling back to shorter codes ("0874" -> "087" -> "08")."""
        code = code.strip()
        while code:
            t = self.cameo.get(code)
            if t is not None:
                return t
            code = code[:-1]
        return None

    def quad(self, event: str) -> str:
        return self.types[event].quad

    def score(self, event: str, mode: str | None) -> float:
        t = self.types[event]
        return t.modes.get(mode, t.score) if mode else t.score

    def valid_mode(self, event: str, mode: str | None) -> str | None:
        """The mode if the type lists it, else None (a mode from another type's vocabulary is dropped)."""
        return mode if mode and mode in self.types[event].modes else None


@lru_cache(maxsize=1)
def load() -> Ontology:
    d = data_dir()
    raw = tomllib.loads((d / "ontology.toml").read_text("utf-8"))
    quads = raw["quad_codes"]
    types = {
        name: EventType(
            name, quads[t["quad"]], float(t["score"]), t["cameo"], {k: float(v) for k, v in t["modes"].items()}
        )
        for name, t in raw["types"].items()
    }
    cameo: dict[str, Triple] = {}
    for line in (d / "cameo2plover.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t") + [""] * 5
        code, event, mode, ctx = cells[0], cells[1], cells[2].strip(), cells[3]
        if event in types:
            cameo[code] = Triple(event, mode, tuple(c for c in ctx.split(";") if c))
    for code, (event, mode, ctx) in raw.get("cameo_overrides", {}).items():
        cameo[code] = Triple(event, mode, tuple(c for c in ctx.split(";") if c))
    return Ontology(types, cameo, frozenset(raw["contexts"]), dict(raw.get("aliases", {})))
