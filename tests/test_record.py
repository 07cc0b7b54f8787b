"""spaq.record: the frozen value classes behave as the frozen dataclasses they replace."""
from __future__ import annotations

import copy
import pickle

import pytest

from spaq import ast, record
from spaq.plan import Plan
from spaq.record import FrozenInstanceError, Record


class Point(Record):
    x: int
    y: int = 0


class Labelled(Point):
    label: str = ""


def test_fields_in_order_bases_first_with_defaults():
    assert record.fields(Labelled) == ("x", "y", "label")
    assert Labelled(1) == Labelled(1, 0, "") == Labelled(x=1, label="")
    assert Labelled.__match_args__ == ("x", "y", "label")


def test_equality_and_hash_by_fields_and_class():
    assert Point(1, 2) == Point(1, 2) and hash(Point(1, 2)) == hash(Point(1, 2))
    assert Point(1, 2) != Point(2, 1)
    assert Point(1, 0) != Labelled(1, 0)            # another class, as with dataclasses
    assert {Point(1, 2): "a"}[Point(1, 2)] == "a"


def test_repr_names_every_field():
    assert repr(Labelled(1, label="p")) == "Labelled(x=1, y=0, label='p')"
    assert repr(ast.Name(0, 3, "ids")) == "Name(start=0, end=3, text='ids')"


def test_frozen():
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 2
    with pytest.raises(AttributeError):
        del p.y
    with pytest.raises(AttributeError):
        p.z = 3


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError):
        Point()
    with pytest.raises(TypeError):
        Point(1, 2, 3)
    with pytest.raises(TypeError):
        Point(1, x=1)
    with pytest.raises(TypeError):
        Point(1, z=1)
    with pytest.raises(TypeError):
        class Bad(Record):
            a: int = 0
            b: int


def test_match_by_position():
    match ast.Compare(0, 9, "<", ast.Name(0, 5, "price"), ast.Literal(8, 9, "number", 1, "1")):
        case ast.Compare(_, _, op, ast.Name(text=name), ast.Literal(value=value)):
            assert (op, name, value) == ("<", "price", 1)
        case _:
            pytest.fail("no match")


def test_replace_copy_and_pickle_keep_the_value():
    p = Labelled(1, 2, "a")
    assert record.replace(p, y=5) == Labelled(1, 5, "a") and p.y == 2
    assert copy.copy(p) == p and copy.deepcopy(p) == p
    assert pickle.loads(pickle.dumps(p)) == p


def test_a_plan_is_a_dictionary_key():
    from spaq.engine import prepare
    one, two = prepare("purchasers where price < 1"), prepare("purchasers where price < 1")
    assert isinstance(one, Plan) and one == two and hash(one) == hash(two)
    assert {one: 1}[two] == 1
