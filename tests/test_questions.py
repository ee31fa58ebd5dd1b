"""The question registry: every analyst question defined once, asked the same way on any store."""
import inspect

import pytest

from policykg.errors import PolicyKGError
from policykg.graph.questions import FOUND, LIST, ONE, QUESTIONS, VALUE
from policykg.graph.store import Store


def test_questions_each_runs_on_neo4j_by_cypher_or_its_own_function():
    from policykg.cypher import cypher

    for q in QUESTIONS.values():
        assert (q.cypher is None) != (q.neo4j is None), q.name
        if q.cypher:
            assert "$" in cypher(q.cypher) or not q.signature.parameters, f"{q.name}: parameters not used"
        assert q.shape in (ONE, LIST, FOUND, VALUE)
        assert q.doc, f"{q.name} states no contract"
        assert q.shape == VALUE or q.result is not None, q.name


def test_questions_are_store_methods_with_their_signature_and_contract():
    for name, q in QUESTIONS.items():
        method = getattr(Store, name)
        assert method.__doc__ == q.doc
        assert list(inspect.signature(method).parameters)[1:] == list(q.signature.parameters)
    assert "list[Backer] | None" in str(inspect.signature(Store.backers))


def test_questions_bind_positional_and_named_arguments(embedded_store):
    a = embedded_store.agencies()[0]
    assert embedded_store.agency_measures(a.id, "lead") == embedded_store.ask("agency_measures", id=a.id, role="lead")
    with pytest.raises(PolicyKGError, match="agency_measures"):
        embedded_store.agency_measures(a.id, "lead", "extra")
    with pytest.raises(PolicyKGError, match="no question named 'nope'"):
        embedded_store.ask("nope")


def test_questions_finish_orders_and_tells_unknown_from_empty(embedded_store):
    agencies = embedded_store.agencies()
    assert [a.leads for a in agencies] == sorted((a.leads for a in agencies), reverse=True)
    assert embedded_store.backers("m-unknown") is None
    quiet = next(a for a in reversed(agencies) if a.leads == 0)
    assert embedded_store.agency_measures(quiet.id, "lead") == []


def test_questions_examples_ask_every_question(embedded_store):
    for name, q in QUESTIONS.items():
        assert list(q.examples(embedded_store)), name
