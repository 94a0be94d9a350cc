import pytest
def test_x(real_service):
    res = real_service.related("ISI:000314348500003", top=5)
    for h in res.hits["Paper"]: print(h.id, h.title[:50], h.evidence.shared_terms, h.evidence.dense_similarity)
    assert 0
