"""Work extraction does once, or only when it is needed, gives what doing it every time gives.

Each shortcut of spaq.extract here (an anchor compiled when a sentence first holds its
words, ...) is compared with the plain form it stands for."""
from __future__ import annotations

from spaq.extract import terms as T
from spaq.extract.text import flow


def test_an_anchor_is_compiled_when_first_held_and_as_compiled_gives_it():
    # A family of its own (its tuple is its key), so no other test has compiled its anchors.
    anchors = tuple(T.PRICE_STRONG) + ("price\\s+tag\\s+of\\s+(\\d+)",)
    T._NEEDS.setdefault(anchors[-1], ("tag",))
    try:
        f = flow("x", enumerate(["The purchase price per share of $1.50 and a price tag of 3."], 1))
        family = T._FAMILIES.get(anchors) or T._family(anchors)
        assert family.compiled == [None] * len(anchors)
        end = f.text.index(" and")
        held = T._anchors_held(f, anchors, 0, end)       # "price", "per": no "tag", no "combined"
        plain = [(T.compiled(a), T._STARTS.get(a)) for a in anchors
                 if all(w in f.low[:end] for w in T._NEEDS.get(a, ()))]
        assert held == plain and held
        assert [rx is not None for rx in family.compiled] == \
            [all(w in f.low[:end] for w in T._NEEDS.get(a, ())) for a in anchors]
        assert family.compiled[-1] is None
        assert T._anchors_held(f, anchors, 0, len(f.text))[-1][0] is T.compiled(anchors[-1])
        assert family.compiled[-1] is T.compiled(anchors[-1])
    finally:
        T._NEEDS.pop(anchors[-1], None)
        T._FAMILIES.pop(anchors, None)


def test_cuts_scanned_a_stretch_at_a_time_are_the_cuts_of_the_whole_window():
    # Pieces that make boundaries, pieces that hold _NO_BOUNDARY characters (where stretches end)
    # and single characters, so that stretch edges fall inside and beside boundaries.
    import random
    from spaq.extract import narrative as N
    rng = random.Random(11)
    bits = ["On March 8, 2001, ", "Dec. 5, 2020, ", "8 March 2001, ", "as of 3/8/2001, ", "2001-03-08, ", ") and ",
            "), ", ": ", "between ", "among ", "with ", "by ", "from ", "and ", "and B", "undersigned, ", "Inc. ", "L.P. ",
            "Q. ", ". A", ".  B", "(", "\"", "B", "C", "E", "P", "Z", "a", "o", "w", "1", "12", ".", ")", ":", ",",
            " ", "\n", "xx", "Acme", "Delaware"]
    for _ in range(20000):
        text = "".join(rng.choice(bits) for _ in range(rng.randrange(1, 120)))
        assert list(N._cuts(text)) == [m.end() for m in N._BOUNDARY.finditer(text)][::-1] + [0], text
