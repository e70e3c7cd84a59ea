"""Tests of ProtocolError and Code (PROTOCOL.md §3.4, §8)."""

from __future__ import annotations

import pickle

import pytest

from polyproc import PROTOCOL_ERROR_KINDS, Code, ProtocolError
from polyproc.v1 import error_pb2


def test_the_six_kinds_of_protocol_section_3_4() -> None:
    assert PROTOCOL_ERROR_KINDS == (
        "FRAME_TOO_LARGE",
        "TRUNCATED_FRAME",
        "MALFORMED_FRAME",
        "EMPTY_FRAME",
        "VALUE_TOO_DEEP",
        "INVALID_VALUE",
    )


def test_protocol_error_carries_kind_message_and_path() -> None:
    error = ProtocolError("INVALID_VALUE", "args.a: a set cannot be sent", "args.a")
    assert error.kind == "INVALID_VALUE"
    assert error.message == "args.a: a set cannot be sent"
    assert error.path == "args.a"
    assert str(error) == "INVALID_VALUE: args.a: a set cannot be sent"
    assert repr(error) == (
        "ProtocolError('INVALID_VALUE', 'args.a: a set cannot be sent', path='args.a')"
    )
    assert ProtocolError("EMPTY_FRAME", "no kind").path is None
    assert (
        repr(ProtocolError("EMPTY_FRAME", "no kind")) == "ProtocolError('EMPTY_FRAME', 'no kind')"
    )


def test_protocol_error_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="must be one of FRAME_TOO_LARGE"):
        ProtocolError("NOT_A_KIND", "x")  # type: ignore[arg-type]


def test_protocol_error_survives_pickle() -> None:
    error = ProtocolError("VALUE_TOO_DEEP", "too deep", "args[0]")
    again = pickle.loads(pickle.dumps(error))
    assert (again.kind, again.message, again.path, str(again)) == (
        error.kind,
        error.message,
        error.path,
        str(error),
    )


def test_code_mirrors_the_proto_enum() -> None:
    proto = {name.removeprefix("CODE_"): number for name, number in error_pb2.Code.items()}
    assert {code.name: code.value for code in Code} == proto


def test_code_numbers_are_grpc_status_codes() -> None:
    assert Code.CANCELLED.value == 1
    assert Code.DEADLINE_EXCEEDED.value == 4
    assert Code.UNAVAILABLE.value == 14
    assert Code.UNAUTHENTICATED.value == 16


def test_code_from_wire_reads_unspecified_and_unknown_numbers_as_unknown() -> None:
    assert Code.from_wire(0) is Code.UNKNOWN
    assert Code.from_wire(99) is Code.UNKNOWN
    assert Code.from_wire(-1) is Code.UNKNOWN
    assert Code.from_wire(13) is Code.INTERNAL
    assert all(Code.from_wire(code.value) is code for code in Code if code is not Code.UNSPECIFIED)


def test_codes_retryable_by_default() -> None:
    retryable = {code for code in Code if code.retryable_by_default}
    assert retryable == {
        Code.DEADLINE_EXCEEDED,
        Code.RESOURCE_EXHAUSTED,
        Code.ABORTED,
        Code.UNAVAILABLE,
    }


def test_codes_go_into_messages_as_they_are() -> None:
    error = error_pb2.Error(code=Code.NOT_FOUND.to_wire(), message="no such key")
    assert error.code == error_pb2.CODE_NOT_FOUND
    assert Code.from_wire(error.code) is Code.NOT_FOUND
    error.code = Code.INTERNAL.to_wire()
    assert error.SerializeToString().startswith(b"\x08\x0d")
