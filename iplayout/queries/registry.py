"""Registry of named queries.

Each module ``iplayout/queries/<area>_queries.py`` defines ``QUERIES: list[NamedQuery]``. Text is
shared by both engines; where the Cypher dialects differ, ``dialects`` holds the engine's own text
(keyed by ``GraphStore.engine``). Always ``$params``; never string-built from user input.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache

from iplayout.errors import GraphError


@dataclass(frozen=True)
class NamedQuery:
    name: str
    cypher: str
    doc: str
    params: tuple[str, ...] = ()
    dialects: dict[str, str] = field(default_factory=dict)
    write: bool = False

    def text_for(self, engine: str) -> str:
        return self.dialects.get(engine, self.cypher)


@lru_cache(maxsize=1)
def registry() -> dict[str, NamedQuery]:
    import iplayout.queries as pkg

    found: dict[str, NamedQuery] = {}
    for mod in pkgutil.iter_modules(pkg.__path__):
        if not mod.name.endswith("_queries"):
            continue
        module = importlib.import_module(f"iplayout.queries.{mod.name}")
        for q in getattr(module, "QUERIES", []):
            if q.name in found:
                raise GraphError(f"named query {q.name!r} defined twice")
            found[q.name] = q
    return found


def get(name: str) -> NamedQuery:
    try:
        return registry()[name]
    except KeyError:
        raise GraphError(f"no named query {name!r}; see `iplayout query --list`") from None
