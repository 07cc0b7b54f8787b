"""A Table keeps its rows as columns; its rows still read as the dicts that were added."""
from __future__ import annotations

import pytest

from spaq.model import ABSENT, Source, Table

ROWS = [{"id": "a", "price": 0.35}, {"id": "b", "shares": 5}, {"id": "c", "price": None, "shares": 7}]


def test_rows_read_back_as_added():
    t = Table("purchasers")
    for row in ROWS:
        t.add(dict(row), {"id": Source("f.txt", 1, "x")})
    assert list(t.rows) == ROWS and t.rows == ROWS and len(t.rows) == 3
    assert t.rows[1] == ROWS[1] and "price" not in t.rows[1]
    assert t.rows[-1] == ROWS[-1] and t.rows[0:2] == ROWS[0:2] and t.rows[::-1] == ROWS[::-1]
    with pytest.raises(IndexError):
        t.rows[3]
    assert [r for r in t.rows] == ROWS


def test_a_column_is_none_where_a_row_lacks_the_field():
    t = Table("purchasers", [dict(r) for r in ROWS])
    assert t.column("price") == [0.35, None, None]
    assert t.column("shares") == [None, 5, 7]
    assert t.column("nothing") == [None, None, None]
    assert ABSENT not in t.column("price")
    assert t.sources == [{}, {}, {}]


def test_kept_columns_are_forgotten_when_a_row_is_added():
    t = Table("purchasers", [dict(r) for r in ROWS[:2]])
    assert t.derived("k", lambda rows: len(rows)) == 2
    assert t.has_derived("k")
    t.add({"id": "z", "price": 1.0})
    assert not t.has_derived("k")
    assert t.derived("k", lambda rows: len(rows)) == 3
    assert t.column("price") == [0.35, None, 1.0]


def test_find_and_an_empty_table():
    t = Table("purchasers", [dict(r) for r in ROWS])
    assert t.find("id", "B") == 1 and t.find("id", "q") is None
    empty = Table("agreements")
    assert list(empty.rows) == [] and empty.column("id") == [] and empty.find("id", "a") is None


def test_columns_come_in_the_order_rows_first_have_them():
    """Whatever the hash seed: a new field becomes a column in the order of the row that
    first has it; a row with the same fields in another order is appended field by field."""
    t = Table("agreements")
    t.add({"id": "a", "price": 1.5, "shares": 2})
    t.add({"shares": 3, "id": "b", "price": 2.5})
    t.add({"id": "c", "year": 2001, "date": None})
    t.add({"year": 2002, "date": "x", "id": "d", "price": 4.5, "shares": 5})
    assert list(t.columns) == ["id", "price", "shares", "year", "date"]
    assert list(t.rows) == [{"id": "a", "price": 1.5, "shares": 2}, {"id": "b", "price": 2.5, "shares": 3},
                            {"id": "c", "year": 2001, "date": None},
                            {"id": "d", "price": 4.5, "shares": 5, "year": 2002, "date": "x"}]
    assert t.column("year") == [None, None, 2001, 2002] and t.column("price") == [1.5, 2.5, None, 4.5]


def _added_one_by_one(batches):
    t = Table("x")
    for rows in batches:
        for row in rows:
            t.add(dict(row), {"id": Source("f.txt", 1, str(row))})
    return t


@pytest.mark.parametrize("batches", [
    [[{"id": "a", "n": 1}, {"id": "b", "n": 2}], [{"id": "c", "n": 3}]],          # alike: by column
    [[{"id": "a", "n": 1}], [{"n": 2, "id": "b"}, {"id": "c", "n": 3}]],          # another order
    [ROWS, [{"id": "d"}, {"id": "e", "extra": True}]],                            # gaps, new fields
    [[], [{}, {}], [{"id": "f"}]],                                                # nothing, no fields
])
def test_extend_makes_the_table_that_adding_each_row_makes(batches):
    one_by_one = _added_one_by_one(batches)
    t = Table("x")
    for rows in batches:
        t.extend([dict(r) for r in rows], [{"id": Source("f.txt", 1, str(r))} for r in rows])
    assert t.count == one_by_one.count and list(t.columns) == list(one_by_one.columns)
    assert t.columns == one_by_one.columns and t.sources == one_by_one.sources
    assert {n: t.column(n) for n in t.columns} == {n: one_by_one.column(n) for n in t.columns}
    assert list(t.rows) == list(one_by_one.rows)


def test_a_source_pickles_to_itself_whichever_fields_it_has():
    import pickle
    line = Source("f.txt", 3, "Price: $1.00")
    sources = [line, Source("f.txt", None, ""), Source("f.txt", None, "", True, "shares × price", (line,)),
               Source("f.txt", 4, "x", False, "a note"), Source("f.txt", 4, "x", False, "", (line,)),
               Source("f.txt", 4, "x", True)]
    back = pickle.loads(pickle.dumps(sources, 5))
    assert back == sources and [s._fields() for s in back] == [s._fields() for s in sources]
    assert back[2].inputs[0] is back[0]              # shared as it was
    assert len(pickle.dumps(line, 5)) < len(pickle.dumps(sources[3], 5))
