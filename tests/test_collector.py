"""spaq.model.collector_paused: the collector is off in the block, on again after it, and what
the block made is still collected (moved to the oldest generation, not frozen for good)."""
import gc
import weakref

from spaq.model import collector_paused


class _Node:
    def __init__(self):
        self.me = self             # a cycle: only the collector frees it


def test_the_collector_is_off_inside_and_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_cycle_made_inside_is_still_collected():
    with collector_paused():
        node = _Node()
    gone = weakref.ref(node)
    del node
    assert gone() is not None       # (the cycle keeps it)
    gc.collect()                    # a full collection reaches the oldest generation
    assert gone() is None


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
