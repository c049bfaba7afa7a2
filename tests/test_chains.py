"""The chain search on small graphs built in memory (grimp's real graph, no files)."""

import gc
import itertools
import weakref

import grimp
from hypothesis import given
from hypothesis import strategies as st

from boundary_lint.rules.chains import ChainSearch, strongly_connected


def graph_of(*edges: str) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for edge in edges:
        importer, imported = edge.split(" -> ")
        graph.add_module(importer)
        graph.add_module(imported)
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return graph


def test_every_first_hop_and_nearest_target() -> None:
    graph = graph_of("s.a -> m1", "m1 -> t.x", "s.a -> m2", "m2 -> m3", "m3 -> t.y", "m2 -> t.z")
    search = ChainSearch(graph, {"s.a"}, {"t.x", "t.y", "t.z"})
    assert list(search.first_hops()) == [("s.a", "m1"), ("s.a", "m2")]
    assert search.chain("s.a", "m1") == ("s.a", "m1", "t.x")
    assert search.chain("s.a", "m2") == ("s.a", "m2", "t.z")  # nearest, not t.y two hops away


def test_a_searched_graph_is_collected_once_dropped() -> None:
    """The adjacency cache is keyed weakly by graph; its value must not keep the key alive
    (the language server searches one new graph per edit)."""
    graph = graph_of("s.a -> m1", "m1 -> t.x")
    search = ChainSearch(graph, {"s.a"}, {"t.x"})
    assert list(search.first_hops()) == [("s.a", "m1")]
    dropped = weakref.ref(graph)
    del graph, search
    gc.collect()
    assert dropped() is None


def test_chain_through_another_source_belongs_to_that_source() -> None:
    graph = graph_of("s.a -> s.b", "s.b -> m", "m -> t")
    search = ChainSearch(graph, {"s.a", "s.b"}, {"t"})
    assert list(search.first_hops()) == [("s.b", "m")]


def test_ties_broken_by_name_deterministically() -> None:
    graph = graph_of("s -> b", "s -> a", "a -> t2", "b -> t1", "a -> c", "c -> t0")
    search = ChainSearch(graph, {"s"}, {"t0", "t1", "t2"})
    assert [search.chain(*hop) for hop in search.first_hops()] == [("s", "a", "t2"), ("s", "b", "t1")]


def test_equally_short_paths_pick_the_first_by_name() -> None:
    graph = graph_of("s -> m", "m -> y", "m -> x", "x -> t", "y -> t")
    search = ChainSearch(graph, {"s"}, {"t"})
    assert search.chain("s", "m") == ("s", "m", "x", "t")


def test_blocked_modules_are_not_passed_through() -> None:
    graph = graph_of("s -> other", "other -> t", "s -> free", "free -> t")
    search = ChainSearch(graph, {"s"}, {"t"}, blocked={"other"})
    assert list(search.first_hops()) == [("s", "free")]


def test_direct_only_ignores_indirect_chains() -> None:
    graph = graph_of("s -> m", "m -> t", "s -> t")
    search = ChainSearch(graph, {"s"}, {"t"}, direct_only=True)
    assert list(search.first_hops()) == [("s", "t")]


def test_strongly_connected_components() -> None:
    edges = {("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "f"), ("f", "e")}
    assert strongly_connected("abcdefg", edges) == [["a", "b", "c"], ["d"], ["e", "f"], ["g"]]


def test_a_chain_of_ten_thousand_does_not_exhaust_the_stack() -> None:
    nodes = [f"m{i:05}" for i in range(10_000)]
    edges = set(itertools.pairwise(nodes)) | {(nodes[-1], nodes[0])}
    assert strongly_connected((), edges) == [sorted(nodes)]


@given(st.sets(st.tuples(st.sampled_from("abcdef"), st.sampled_from("abcdef"))))
def test_components_are_the_mutually_reachable_nodes(edges: set[tuple[str, str]]) -> None:
    reach = {n: {n} for n in "abcdef"}
    for _ in "abcdef":  # transitive closure, the slow and obvious way
        for a, b in edges:
            reach[a] |= reach[b]
    expected = sorted(
        {tuple(sorted(m for m in "abcdef" if n in reach[m] and m in reach[n])) for n in "abcdef"}
    )
    assert strongly_connected("abcdef", edges) == [list(c) for c in expected]


def test_runtime_shortest_chain_is_the_nearest_end_first_by_name() -> None:
    from boundary_lint.split.runtime import shortest_chain

    graph = graph_of("a -> z", "z -> t.x", "a -> b", "b -> t.y", "a -> c", "c -> d", "d -> t.w", "t.q -> a")
    assert shortest_chain(graph, "a", {"t.x", "t.y", "t.w"}) == ("a", "b", "t.y")
    assert shortest_chain(graph, "a", {"t.w"}) == ("a", "c", "d", "t.w")
    assert shortest_chain(graph, "t.x", {"a"}) is None
    assert shortest_chain(graph, "a", {"a"}) == ("a",)
