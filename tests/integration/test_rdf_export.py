"""RDF: the vocabulary covers the ontology; the data export parses back with rdflib."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, Graph

from iplayout.graph.store import GraphStore
from iplayout.ontology import NODES, RELATIONSHIPS
from iplayout.ontology.rdf import IPL, export_data, schema_graph


def test_schema_declares_classes_and_object_properties() -> None:
    g = Graph().parse(data=schema_graph().serialize(format="turtle"), format="turtle")
    assert {n.label for n in NODES} <= {str(s).split("#")[1] for s in g.subjects(RDF.type, OWL.Class)}
    declared = {str(s).split("#")[1] for s in g.subjects(RDF.type, OWL.ObjectProperty)}
    assert {r.type for r in RELATIONSHIPS} <= declared


def test_data_export_round_trips(demo_store: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    n = export_data(demo_store, out)
    g = Graph().parse(out, format="turtle")
    assert len(g) == n > 0
    districts = set(g.subjects(RDF.type, IPL["District"]))
    assert len(districts) == 38
    counts = demo_store.counts()
    assert len(list(g.subject_objects(IPL["CITES"]))) == counts.relationships["CITES"]
