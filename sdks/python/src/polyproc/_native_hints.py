"""What to tell a caller whose Python value cannot be sent, and how to fix it (§9.8.1)."""

from __future__ import annotations

from polyproc._violation import Violation

__all__ = [
    "LONE_SURROGATE",
    "LONE_SURROGATE_KEY",
    "key_type_violation",
    "outside_int64",
    "unsupported",
]

_SUPPORTED = "None, bool, int, float, str, bytes, or a list or str-keyed dict of them"

LONE_SURROGATE = (
    "the str has a lone surrogate (e.g. from surrogateescape decoding) and is not valid "
    "Unicode; fix the text, or send the original bytes"
)
LONE_SURROGATE_KEY = (
    "the map key has a lone surrogate and is not valid Unicode; fix the key, or use another"
)


def outside_int64(native: object) -> str:
    """outside_int64 explains an int that does not fit the wire's int64."""
    return (
        f"the int {native} is outside int64 (-2**63 .. 2**63-1); send it as a str, or as a "
        "float if precision does not matter"
    )


def key_type_violation(key: object) -> Violation:
    """key_type_violation reports a dict key that is not a str, at the dict's own path."""
    return Violation(
        "INVALID_VALUE",
        f"a dict key is {type(key).__name__} {key!r}; map keys must be str: convert them, "
        "e.g. {str(k): v for k, v in d.items()}",
    )


def unsupported(native: object) -> str:
    """unsupported says that a value of this type cannot be sent, and what to send instead."""
    cls = type(native)
    name = (
        cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    )
    hint = f"send {_SUPPORTED}"
    if isinstance(native, set | frozenset):
        hint = "send a list instead, e.g. sorted(the_set)"
    elif cls.__module__ == "datetime":
        hint = "send x.isoformat() or a timestamp (x.timestamp() for a datetime)"
    elif cls.__module__ == "decimal" or cls.__module__ == "fractions":
        hint = "send str(x) to keep every digit, or float(x)"
    elif isinstance(native, complex):
        hint = "send [x.real, x.imag]"
    elif hasattr(native, "tolist"):
        hint = "send x.tolist() (an array) or x.item() (a scalar)"
    elif hasattr(native, "__dataclass_fields__"):
        hint = "send dataclasses.asdict(x)"
    elif hasattr(native, "keys") and hasattr(native, "__getitem__"):
        hint = "send dict(x)"
    elif hasattr(native, "__iter__"):
        hint = "send list(x)"
    article = "an" if name[0] in "aeiouAEIOU" else "a"
    return f"{article} {name} cannot be sent; {hint}"
