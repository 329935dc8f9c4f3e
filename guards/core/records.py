"""Frozen records: ``@record`` is ``@dataclass(frozen=True)`` at half the import cost.

Contract: a record is a frozen dataclass in every way callers see: the generated ``__init__``,
fields that cannot be assigned or deleted, ``dataclasses.fields``/``replace``/``asdict``,
pickling, equality between instances of the same class by the fields that compare, a hash by
the fields that hash (``field(compare=False)``, ``field(hash=...)`` and ``field(repr=False)``
mean what they mean to dataclasses), and the dataclass ``repr``.

The trap: Python 3.11 compiles six methods from source for every frozen dataclass, and a
``guards run`` imports about ninety of them: a third of the process's time on a one-file
change went to the compiler. Here only ``__init__`` is compiled; equality, hash and repr are
three shared functions that read the fields through a getter built once per class on first use
(``operator.attrgetter``, in C), and before Python 3.13 (which compiles a class's methods in
one go) the frozen ``__setattr__`` and ``__delattr__`` are two shared functions too, the ones
dataclasses would write, with the class they guard found on the instance's MRO (75 records of
a sympy run: 45 -> 25 ms). dataclasses offers no hook for them: its ``_frozen_get_del_attr`` is
swapped while a record is made, under a lock, and put back.
A class that defines its own ``__eq__``, ``__hash__`` or ``__repr__`` keeps it (the ``None`` Python
sets beside an own ``__eq__`` is not an own hash: such a class is hashed by its fields, as a
frozen dataclass is).
"""

from __future__ import annotations

import _thread
import dataclasses
import reprlib
import sys
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # typing has it from 3.11 on; at run time it only marks the decorator
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[T], T]:
        return lambda decorated: decorated


T = TypeVar("T")
Getter = Callable[[Any], Any]

_GETTERS: dict[str, dict[type, Getter]] = {"compare": {}, "hash": {}, "repr": {}}


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T]) -> type[T]:
    """CLS as a frozen dataclass whose equality, hash and repr are the shared ones below."""
    own = set(cls.__dict__)
    if cls.__dict__.get("__hash__", 0) is None and "__eq__" in own:
        own.discard("__hash__")  # Python's None beside an own __eq__: hashed by fields, as there
    for name, method in (("__eq__", _eq), ("__hash__", _hash), ("__repr__", _repr)):
        if name not in own:
            setattr(cls, name, method)
    make = dataclasses.dataclass(frozen=True, eq=False, repr=False)
    if not SHARED_FROZEN:
        return make(cls)
    with _SWAP:
        compiled = getattr(dataclasses, HOOK)
        setattr(dataclasses, HOOK, _frozen_methods)
        try:
            return make(cls)
        finally:
            setattr(dataclasses, HOOK, compiled)


def maker(cls: type[T]) -> Callable[..., T]:
    """A constructor of the record CLS from all its field values in order: the instance
    ``cls(*values)`` makes (equal, hashed, shown, pickled and frozen alike) at half the cost,
    for records made by the ten thousand (a change set's files). A frozen ``__init__`` sets
    each field through ``object.__setattr__``; this fills the instance's ``__dict__`` at once.
    Not for a class with ``__post_init__`` or slots, which ``__init__`` alone serves (TypeError)."""
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type] # -- a record is a dataclass
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__qualname__} needs its __init__")
    new = object.__new__

    def make(*values: Any) -> T:
        made = new(cls)
        made.__dict__.update(zip(names, values, strict=True))
        return made

    return make


HOOK = "_frozen_get_del_attr"  # dataclasses' maker of a frozen class's two methods (to 3.12)
SHARED_FROZEN = sys.version_info < (3, 13) and hasattr(dataclasses, HOOK)
_SWAP = _thread.allocate_lock()


def _frozen_methods(cls: type, fields: object, globals: object) -> tuple[Callable[..., None], ...]:
    """What dataclasses' ``_frozen_get_del_attr`` gives a frozen class: its two methods."""
    return _frozen_setattr, _frozen_delattr


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    owner = _guarding(self, "__setattr__")
    if type(self) is owner or _is_field(owner, name):
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    super(owner, self).__setattr__(name, value)


def _frozen_delattr(self: Any, name: str) -> None:
    owner = _guarding(self, "__delattr__")
    if type(self) is owner or _is_field(owner, name):
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
    super(owner, self).__delattr__(name)


def _guarding(obj: Any, method: str) -> type[Any]:
    """The class on OBJ's MRO whose METHOD is the shared one (the frozen dataclass that set
    it, as the ``cls`` of the method dataclasses would compile for it)."""
    shared = _frozen_setattr if method == "__setattr__" else _frozen_delattr
    return next(c for c in type(obj).__mro__ if c.__dict__.get(method) is shared)


def _is_field(cls: type, name: str) -> bool:
    return any(f.name == name for f in dataclasses.fields(cls))


# dataclasses sets each under its __name__ (and writes the class into its __qualname__).
_frozen_setattr.__name__, _frozen_delattr.__name__ = "__setattr__", "__delattr__"


def _getter(cls: type, role: str) -> Getter:
    """The fields of CLS that take part in ROLE ("compare", "hash": their values as one tuple;
    "repr": the text that shows them), built once per class."""
    known = _GETTERS[role]
    found = known.get(cls)
    if found is None:
        names = [f.name for f in dataclasses.fields(cls) if _takes_part(f, role)]
        found = known[cls] = _shown(cls, names) if role == "repr" else _tuple_of(names)
    return found


def _takes_part(f: dataclasses.Field[Any], role: str) -> bool:
    if role == "hash":
        return bool(f.compare if f.hash is None else f.hash)
    return bool(getattr(f, role))


def _shown(cls: type, names: list[str]) -> Getter:
    """``Name(a=..., b=...)``: a ``%r`` template filled with the values of NAMES."""
    template = f"{cls.__qualname__}({', '.join(f'{n}=%r' for n in names)})"  # names hold no %
    values = _tuple_of(names)
    return lambda obj: template % values(obj)


def _tuple_of(names: list[str]) -> Getter:
    if not names:
        return lambda _: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    fields = _getter(self.__class__, "compare")
    return fields(self) == fields(other)


def _hash(self: Any) -> int:
    return hash(_getter(self.__class__, "hash")(self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown: str = _getter(self.__class__, "repr")(self)
    return shown
