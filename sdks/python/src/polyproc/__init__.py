"""polyproc: the Python plugin SDK of polyproc, a multi-process, multi-language plugin system.

This release holds the sans-I/O core of the wire protocol v1 (spec/PROTOCOL.md §3, §8, §9):
the frame codec (`FrameEncoder`, `FrameDecoder`), the mapping between Python values and
protobuf Values (`to_value`, `fill_value`, `from_value`, `frame_value`), their validation,
and the errors. The generated protobuf messages are the subpackage `polyproc.v1`
(``polyproc.v1.frame_pb2``).
"""

from __future__ import annotations

from polyproc.errors import PROTOCOL_ERROR_KINDS, Code, ProtocolError, ProtocolErrorKind
from polyproc.frame_body import decode_body, decode_body_values
from polyproc.frames import FrameDecoder, FrameEncoder, encode_frames
from polyproc.limits import (
    DEFAULT_MAX_FRAME_BYTES,
    FRAME_HEADER_BYTES,
    MAX_VALUE_DEPTH,
    PROTOBUF_RECURSION_LIMIT,
    PROTOCOL_VERSION,
)
from polyproc.v1.frame_pb2 import Frame
from polyproc.v1.value_pb2 import Value
from polyproc.validate import frame_value_field, validate_frame_values, validate_value
from polyproc.value_path import index_path, key_path
from polyproc.values import (
    PlainValue,
    fill_value,
    frame_value,
    from_value,
    sort_map_keys,
    to_value,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MAX_FRAME_BYTES",
    "FRAME_HEADER_BYTES",
    "MAX_VALUE_DEPTH",
    "PROTOBUF_RECURSION_LIMIT",
    "PROTOCOL_ERROR_KINDS",
    "PROTOCOL_VERSION",
    "Code",
    "Frame",
    "FrameDecoder",
    "FrameEncoder",
    "PlainValue",
    "ProtocolError",
    "ProtocolErrorKind",
    "Value",
    "__version__",
    "decode_body",
    "decode_body_values",
    "encode_frames",
    "fill_value",
    "frame_value",
    "frame_value_field",
    "from_value",
    "index_path",
    "key_path",
    "sort_map_keys",
    "to_value",
    "validate_frame_values",
    "validate_value",
]
