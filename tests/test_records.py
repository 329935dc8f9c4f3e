"""guards.core.records: a record behaves as the frozen dataclass it replaces, for every caller."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import field

import pytest

from guards.core.records import maker, record


@record
class Point:
    x: int
    y: int = 0
    note: str = field(default="", compare=False)
    tags: tuple[str, ...] = field(default=(), repr=False)


@record
class Other:
    x: int
    y: int = 0


@record
class Three(Point):
    z: int = 0


@dataclasses.dataclass(frozen=True)
class Reference:
    x: int
    y: int = 0
    note: str = field(default="", compare=False)
    tags: tuple[str, ...] = field(default=(), repr=False)


@record
class Own:
    x: int

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 7


def test_equality_and_hash_follow_the_fields_that_compare() -> None:
    assert Point(1, 2, note="a") == Point(1, 2, note="b")
    assert hash(Point(1, 2, note="a")) == hash(Point(1, 2, note="b"))
    assert Point(1, 2) != Point(1, 3)
    assert len({Point(1, 2), Point(1, 2), Point(2, 2)}) == 2


def test_another_class_with_the_same_values_is_not_equal() -> None:
    assert Point(1, 2) != Other(1, 2)
    assert Point(1, 2) != Three(1, 2)
    assert Point(1, 2).__eq__(Other(1, 2)) is NotImplemented


def test_repr_is_the_dataclass_repr() -> None:
    made = Point(1, 2, note="n", tags=("t",))
    assert repr(made) == repr(Reference(1, 2, note="n", tags=("t",))).replace("Reference", "Point")
    assert repr(Three(1, z=3)) == "Three(x=1, y=0, note='', z=3)"


def test_fields_cannot_be_assigned_or_deleted() -> None:
    made = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.x = 2  # type: ignore[misc]  # -- the assignment under test
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.x


def test_a_plain_subclass_is_frozen_as_a_dataclass_is() -> None:
    """Its fields stay frozen; an attribute of its own may be set and deleted (the ``type(self)
    is cls`` test of the methods dataclasses compiles)."""

    class Sub(Point):
        pass

    class SubReference(Reference):
        pass

    own, field_x, field_y = "extra", "x", "y"  # set by name: no type declares them
    for made in (Sub(1), SubReference(1)):
        setattr(made, own, 1)
        assert getattr(made, own) == 1
        delattr(made, own)
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
            setattr(made, field_x, 2)
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'y'"):
            delattr(made, field_y)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'extra'"):
        setattr(Point(1), own, 1)  # no field, yet the record's own class


def test_dataclass_helpers_and_pickle_work() -> None:
    made = Three(1, 2, z=3)
    assert dataclasses.replace(made, z=4) == Three(1, 2, z=4)
    assert dataclasses.asdict(made) == {"x": 1, "y": 2, "note": "", "tags": (), "z": 3}
    assert [f.name for f in dataclasses.fields(Three)] == ["x", "y", "note", "tags", "z"]
    assert pickle.loads(pickle.dumps(made)) == made


def test_a_class_keeps_its_own_methods() -> None:
    assert Own(1) == Own(2)
    assert hash(Own(5)) == 7


def test_an_own_equality_alone_still_hashes_by_the_fields() -> None:
    @record
    class Loose:
        x: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Loose)

    @dataclasses.dataclass(frozen=True)
    class LooseReference:
        x: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, LooseReference)

    assert Loose(1) == Loose(2)
    assert hash(Loose(3)) == hash((3,)) == hash(LooseReference(3))


def test_a_record_without_fields_compares_equal_to_its_kind() -> None:
    @record
    class Empty:
        pass

    assert Empty() == Empty()
    assert hash(Empty()) == hash(Empty())
    assert repr(Empty()).endswith("Empty()")


def test_a_maker_makes_what_init_makes() -> None:
    make = maker(Three)
    made, built = make(1, 2, "n", ("t",), 3), Three(1, 2, "n", ("t",), 3)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert vars(made) == vars(built) and type(made) is Three
    assert pickle.loads(pickle.dumps(made)) == built
    assert dataclasses.replace(made, z=4) == Three(1, 2, "n", ("t",), 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.x = 5  # type: ignore[misc] # -- the assignment a frozen record refuses


def test_a_maker_wants_every_field_and_no_post_init() -> None:
    with pytest.raises(ValueError):
        maker(Other)(1)  # y has a default, but a maker takes every field
    with pytest.raises(TypeError):
        maker(Checked)


@record
class Checked:
    x: int

    def __post_init__(self) -> None:
        if self.x < 0:
            raise ValueError(self.x)
