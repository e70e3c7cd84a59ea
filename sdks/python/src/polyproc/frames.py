"""The frame codec (PROTOCOL.md §3): a 4-byte big-endian length, then one protobuf Frame.

Sans-I/O: the encoder turns frames into bytes to write, the decoder turns bytes read, in
chunks of any size, into checked frames. Neither touches a socket or a clock.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from typing import TypeAlias, TypeVar

from polyproc.errors import ProtocolError
from polyproc.frame_body import as_bytes, decode_body, decode_body_values
from polyproc.limits import DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, check_max_frame_bytes
from polyproc.v1.frame_pb2 import Frame
from polyproc.values import PlainValue

__all__ = ["FrameDecoder", "FrameEncoder", "encode_frames"]

_HEADER = struct.Struct(">I")
_pack_header = _HEADER.pack
_unpack_header = _HEADER.unpack_from

_T = TypeVar("_T")
_Chunk: TypeAlias = bytes | bytearray | memoryview

# The decoder drops the consumed prefix of its buffer once it is at least this large and
# at least half the buffer: each byte is then moved at most once more on average.
_COMPACT_BYTES = 64 * 1024


class FrameEncoder:
    """FrameEncoder turns frames into length-prefixed bytes (PROTOCOL.md §3.1, §3.3).

    Collect the frames of one event-loop turn with `add` and write `flush()` at once, or
    encode a known batch with `encode`: either way one buffer, so one write per batch.
    Bodies are upb's normal serialization (field-number order); Values built by
    `values.to_value` have their map keys sorted, so they encode canonically. One encoder
    serves one connection, from one thread or task at a time.

    Args:
        max_frame_bytes: the largest body that may be sent; default 16 MiB (§3.2).
    """

    __slots__ = ("_batch", "_max_frame_bytes", "_size")

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> None:
        self._max_frame_bytes = check_max_frame_bytes(max_frame_bytes)
        self._batch: list[bytes] = []
        self._size = 0

    @property
    def max_frame_bytes(self) -> int:
        """max_frame_bytes is the largest frame body this encoder writes."""
        return self._max_frame_bytes

    @property
    def pending_bytes(self) -> int:
        """pending_bytes is the size of the buffer `flush` would return now."""
        return self._size

    def add(self, frame: Frame) -> None:
        """add serializes a frame into the batch.

        A body over max_frame_bytes raises ProtocolError FRAME_TOO_LARGE and leaves the
        batch as it was.
        """
        body = frame.SerializeToString()
        self._check(frame, len(body))
        self._batch.append(_pack_header(len(body)))
        self._batch.append(body)
        self._size += FRAME_HEADER_BYTES + len(body)

    def flush(self) -> bytes:
        """flush returns the batch as one buffer and starts a new, empty one."""
        out = b"".join(self._batch)
        self._batch.clear()
        self._size = 0
        return out

    def encode(self, frames: Iterable[Frame]) -> bytes:
        """encode returns the given frames as one buffer, apart from the batch of `add`.

        If one body is over max_frame_bytes it raises ProtocolError FRAME_TOO_LARGE and
        nothing is encoded.
        """
        parts: list[bytes] = []
        for frame in frames:
            body = frame.SerializeToString()
            self._check(frame, len(body))
            parts.append(_pack_header(len(body)))
            parts.append(body)
        return b"".join(parts)

    def _check(self, frame: Frame, size: int) -> None:
        if size > self._max_frame_bytes:
            kind = frame.WhichOneof("kind") or "empty"
            raise ProtocolError(
                "FRAME_TOO_LARGE",
                f"a {kind} frame of {size} bytes is over the limit of {self._max_frame_bytes} "
                "bytes; send less data per message (split it, or stream it)",
            )


def encode_frames(
    frames: Iterable[Frame], *, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES
) -> bytes:
    """encode_frames returns frames as one buffer of length-prefixed frames (§3.1).

    A body over max_frame_bytes raises ProtocolError FRAME_TOO_LARGE; nothing is encoded.
    """
    return FrameEncoder(max_frame_bytes).encode(frames)


class FrameDecoder:
    """FrameDecoder turns bytes, in chunks of any size, into checked frames (§3).

    `push` returns the frames a chunk completes; too few bytes is "nothing yet". `end` says
    the input is over. A broken frame raises ProtocolError; the decoder is then dead and
    every later `push` or `end` raises the same error, since the connection must be closed.
    A length over max_frame_bytes is reported as soon as the 4 length bytes are in, and
    nothing is allocated for the announced body.

    Bytes are kept in one growing buffer with a read offset; the consumed prefix is dropped
    only when it is large, so decoding is linear in the input, however it is split. Frames
    completed before a broken one in the same chunk are not returned (§3.4 allows either).
    One decoder serves one connection, from one thread or task at a time.

    Args:
        max_frame_bytes: the largest body accepted; default 16 MiB (§3.2).
    """

    __slots__ = ("_buffer", "_failure", "_max_frame_bytes", "_start")

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> None:
        self._max_frame_bytes = check_max_frame_bytes(max_frame_bytes)
        # Bytes received and not yet decoded: _buffer[_start:].
        self._buffer = bytearray()
        self._start = 0
        self._failure: ProtocolError | None = None

    @property
    def max_frame_bytes(self) -> int:
        """max_frame_bytes is the largest frame body this decoder accepts."""
        return self._max_frame_bytes

    @property
    def buffered_bytes(self) -> int:
        """buffered_bytes is the number of bytes received that do not yet form a frame."""
        return len(self._buffer) - self._start

    def push(self, data: _Chunk) -> list[Frame]:
        """push adds received bytes and returns the frames they complete, in order."""
        return self._push(data, decode_body)

    def push_values(self, data: _Chunk) -> list[tuple[Frame, PlainValue]]:
        """push_values is `push` that also gives each frame's Value as Python.

        Each frame comes with `values.frame_value(frame)`: its Call.args, Result.value or
        error details, StreamItem.value, StreamEnd error details, Publish.value or
        Welcome.settings, or None. The Value is validated while it is converted, one walk
        instead of push's validation and from_value's conversion, with the same errors.
        """
        return self._push(data, decode_body_values)

    def _push(self, data: _Chunk, decode: Callable[[bytes], _T]) -> list[_T]:
        if self._failure is not None:
            raise self._failure.with_traceback(None)
        try:
            if not self._buffer:
                # Nothing buffered: decode straight from the chunk. upb parses bytes many
                # times faster than other buffers, so other buffers become bytes first.
                chunk = data if type(data) is bytes else as_bytes(data)
                size = len(chunk)
                if size >= FRAME_HEADER_BYTES:
                    (length,) = _unpack_header(chunk)
                    if length == size - FRAME_HEADER_BYTES:  # the usual case: one whole frame
                        self._check_length(length)
                        return [decode(chunk[FRAME_HEADER_BYTES:])]
                return self._decode_chunk(chunk, decode)
            self._buffer += data
            return self._decode_buffer(decode)
        except ProtocolError as error:
            # Detached from its traceback and context, the error holds no stack frame that
            # holds a view of the input, which would keep a bytearray from being resized.
            error.__context__ = None
            self._failure = error.with_traceback(None)
            raise self._failure from None

    def end(self) -> None:
        """end says that no more bytes will come.

        It raises ProtocolError TRUNCATED_FRAME when the input stopped inside a frame.
        """
        if self._failure is not None:
            raise self._failure.with_traceback(None)
        left = len(self._buffer) - self._start
        if left == 0:
            return
        if left < FRAME_HEADER_BYTES:
            what = f"{left} of the 4 length bytes"
        else:
            (length,) = _unpack_header(self._buffer, self._start)
            what = f"{left - FRAME_HEADER_BYTES} of the {length} body bytes"
        self._failure = ProtocolError(
            "TRUNCATED_FRAME",
            f"the input ended inside a frame, after {what}; the peer closed the connection "
            "in the middle of a frame",
        )
        raise self._failure

    def _decode_chunk(self, data: bytes, decode: Callable[[bytes], _T]) -> list[_T]:
        size = len(data)
        frames: list[_T] = []
        offset = self._decode_from(data, 0, size, frames, decode)
        if offset < size:  # keep the incomplete tail; the buffer is empty here
            with memoryview(data) as view:
                self._buffer += view[offset:]
            self._start = 0
        return frames

    def _decode_buffer(self, decode: Callable[[bytes], _T]) -> list[_T]:
        frames: list[_T] = []
        buffer = self._buffer
        with memoryview(buffer) as view:
            offset = self._decode_from(view, self._start, len(buffer), frames, decode)
        # Invariant: the buffer is empty when everything in it was decoded.
        if offset == len(buffer):
            buffer.clear()
            offset = 0
        elif offset >= _COMPACT_BYTES and offset * 2 >= len(buffer):
            del buffer[:offset]
            offset = 0
        self._start = offset
        return frames

    def _decode_from(
        self,
        source: bytes | memoryview,
        offset: int,
        end: int,
        frames: list[_T],
        decode: Callable[[bytes], _T],
    ) -> int:
        # Decodes every whole frame in source[offset:end]; returns the offset after the last.
        while end - offset >= FRAME_HEADER_BYTES:
            (length,) = _unpack_header(source, offset)
            self._check_length(length)
            body_start = offset + FRAME_HEADER_BYTES
            if end - body_start < length:
                break
            offset = body_start + length
            if isinstance(source, bytes):
                frames.append(decode(source[body_start:offset]))
            else:
                frames.append(decode(source[body_start:offset].tobytes()))
        return offset

    def _check_length(self, length: int) -> None:
        if length > self._max_frame_bytes:
            raise ProtocolError(
                "FRAME_TOO_LARGE",
                f"the peer announced a frame of {length} bytes, over the limit of "
                f"{self._max_frame_bytes} bytes; it is buggy or hostile, or the two sides "
                "disagree on the limit",
            )
