"""Loading long-lived knowledge (gazetteer, actor knowledge base, lexicon) cheaply.

Owns one thing: pausing the cyclic garbage collector while such knowledge is built. Building allocates
millions of long-lived objects and no reference cycles, so the collector would only walk them again and again
(a third of the load time). Nested pauses are fine: only the outermost one turns collection back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
