"""The cycle collector paused over bulk work: off inside, back as it was after, across threads."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from samkalk.collection import collection_paused


@pytest.fixture
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_on_again_after(collector_on):
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the outer pause still holds"
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_on_again(collector_on):
    with pytest.raises(ZeroDivisionError), collection_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_a_cycle_made_while_paused_is_collected_once_it_runs(collector_on):
    class Node:
        pass

    with collection_paused():
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        alive = weakref.ref(node)
        del node
        assert alive() is not None, "only the collector frees a cycle"
    gc.collect()
    assert alive() is None


def test_two_threads_pausing_at_once_leave_it_on_when_the_last_is_done(collector_on):
    """The first thread ends its pause while the second is still in its own: the collector
    stays off until the second is done, then is on."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collection_paused():
            first_in.set()
            second_in.wait()
        first_out.set()

    def second() -> None:
        first_in.wait()
        with collection_paused():
            second_in.set()
            first_out.wait()
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [False]
    assert gc.isenabled()
