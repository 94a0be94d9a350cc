"""OWL + SKOS vocabulary generated from the ontology, and RDF export of graph data (rdflib)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from iplayout.graph.store import GraphStore
from iplayout.ontology.model import NODES, RELATIONSHIPS

IPL = Namespace("https://iplayout.dev/ontology#")
DATA = Namespace("https://iplayout.dev/id/")
_XSD = {"STRING": XSD.string, "INT64": XSD.long, "DOUBLE": XSD.double, "BOOLEAN": XSD.boolean}


def schema_graph() -> Graph:
    """OWL classes for labels, object properties for relationship types, datatype properties."""
    g = Graph()
    g.bind("ipl", IPL)
    g.bind("skos", SKOS)
    g.add((URIRef(str(IPL).rstrip("#")), RDF.type, OWL.Ontology))
    for n in NODES:
        g.add((IPL[n.label], RDF.type, OWL.Class))
        g.add((IPL[n.label], RDFS.label, Literal(n.label)))
        if n.doc:
            g.add((IPL[n.label], RDFS.comment, Literal(n.doc, lang="en")))
        for p in n.all_props:
            prop = IPL[p.name]
            g.add((prop, RDF.type, OWL.DatatypeProperty))
            g.add((prop, RDFS.domain, IPL[n.label]))
            g.add((prop, RDFS.range, _XSD.get(p.type, XSD.string)))
    # Technology and Industry schemes are SKOS concept schemes; BROADER is skos:broader.
    for label in ("Technology", "Industry"):
        g.add((IPL[label], RDFS.subClassOf, SKOS.Concept))
    for r in RELATIONSHIPS:
        g.add((IPL[r.type], RDF.type, OWL.ObjectProperty))
        g.add((IPL[r.type], RDFS.label, Literal(r.type)))
        for a, b in r.endpoints:
            g.add((IPL[r.type], RDFS.domain, IPL[a]))
            g.add((IPL[r.type], RDFS.range, IPL[b]))
    g.add((IPL["BROADER"], RDFS.subPropertyOf, SKOS.broader))
    return g


def node_uri(label: str, key: Any) -> URIRef:
    return DATA[f"{label}/{quote(str(key), safe='')}"]


def _literal(value: Any) -> Literal:
    return Literal(value)


def data_triples(store: GraphStore, page: int = 50_000) -> Iterator[tuple[Any, Any, Any]]:
    """Every node with its properties and every relationship, read through the read-only path."""
    for n in NODES:
        skip = 0
        while True:
            rows = store.cypher_read(
                f"MATCH (n:{n.label}) RETURN n AS n ORDER BY n.{n.key} SKIP $skip LIMIT $lim",
                {"skip": skip, "lim": page},
            )
            for row in rows:
                props = row["n"]
                s = node_uri(n.label, props[n.key])
                yield s, RDF.type, IPL[n.label]
                for k, v in props.items():
                    if k.startswith("_") or v is None:
                        continue
                    for item in v if isinstance(v, list) else [v]:
                        yield s, IPL[k], _literal(item)
            if len(rows) < page:
                break
            skip += page
    for r in RELATIONSHIPS:
        for a, b in r.endpoints:
            ka, kb = next(x.key for x in NODES if x.label == a), next(x.key for x in NODES if x.label == b)
            rows = store.cypher_read(f"MATCH (a:{a})-[e:{r.type}]->(b:{b}) RETURN a.{ka} AS s, b.{kb} AS o")
            for row in rows:
                yield node_uri(a, row["s"]), IPL[r.type], node_uri(b, row["o"])


def export_data(store: GraphStore, path: Path, fmt: str = "turtle") -> int:
    g = Graph()
    g.bind("ipl", IPL)
    g.bind("id", DATA)
    for t in data_triples(store):
        g.add(t)
    g.serialize(destination=str(path), format=fmt)
    return len(g)
