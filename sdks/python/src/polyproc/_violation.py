"""Violation: the internal signal of the value walkers, turned into a ProtocolError at the root.

The walkers (values.py, validate.py) do not build a path for every node they visit: that
would cost a string per node on the happy path. A node that breaks a rule raises Violation;
every container it passes through on the way up appends its key or index (and, for native
values, itself), and the entry point turns it into a ProtocolError with the full path. A try
block costs nothing until something is raised.
"""

from __future__ import annotations

from polyproc.errors import ProtocolError, ProtocolErrorKind
from polyproc.value_path import join_path

__all__ = ["Violation"]


class Violation(Exception):
    """Violation is a broken value rule on its way up to the walker's entry point."""

    def __init__(self, kind: ProtocolErrorKind, reason: str) -> None:
        super().__init__(reason)
        self.kind: ProtocolErrorKind = kind
        self.reason = reason
        # Innermost first: the key or index of each container passed on the way up.
        self.segments: list[str | int] = []
        # The native containers passed on the way up (to_value only), to tell a cycle.
        self.containers: list[object] = []

    def error(self, root: str) -> ProtocolError:
        """error returns the ProtocolError for a walk that started at the path root."""
        path = join_path(root, reversed(self.segments))
        return ProtocolError(self.kind, f"{path}: {self.reason}", path)
