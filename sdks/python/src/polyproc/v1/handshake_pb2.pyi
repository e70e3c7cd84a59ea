from polyproc.v1 import error_pb2 as _error_pb2
from polyproc.v1 import value_pb2 as _value_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Hello(_message.Message):
    __slots__ = ("token", "min_protocol", "max_protocol", "sdk_language", "sdk_version", "plugin_name", "plugin_version", "functions", "subscriptions", "max_concurrency", "pid", "capabilities")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    MIN_PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    MAX_PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    SDK_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SDK_VERSION_FIELD_NUMBER: _ClassVar[int]
    PLUGIN_NAME_FIELD_NUMBER: _ClassVar[int]
    PLUGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    FUNCTIONS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    token: str
    min_protocol: int
    max_protocol: int
    sdk_language: str
    sdk_version: str
    plugin_name: str
    plugin_version: str
    functions: _containers.RepeatedCompositeFieldContainer[FunctionSpec]
    subscriptions: _containers.RepeatedScalarFieldContainer[str]
    max_concurrency: int
    pid: int
    capabilities: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, token: _Optional[str] = ..., min_protocol: _Optional[int] = ..., max_protocol: _Optional[int] = ..., sdk_language: _Optional[str] = ..., sdk_version: _Optional[str] = ..., plugin_name: _Optional[str] = ..., plugin_version: _Optional[str] = ..., functions: _Optional[_Iterable[_Union[FunctionSpec, _Mapping]]] = ..., subscriptions: _Optional[_Iterable[str]] = ..., max_concurrency: _Optional[int] = ..., pid: _Optional[int] = ..., capabilities: _Optional[_Iterable[str]] = ...) -> None: ...

class FunctionSpec(_message.Message):
    __slots__ = ("name", "description", "params_schema", "result_schema", "streaming", "idempotent")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PARAMS_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    RESULT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    STREAMING_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    params_schema: str
    result_schema: str
    streaming: bool
    idempotent: bool
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., params_schema: _Optional[str] = ..., result_schema: _Optional[str] = ..., streaming: _Optional[bool] = ..., idempotent: _Optional[bool] = ...) -> None: ...

class Welcome(_message.Message):
    __slots__ = ("protocol", "instance_id", "heartbeat_interval_ms", "max_frame_bytes", "settings", "host_functions", "capabilities", "max_calls_in_flight", "plugin_name", "max_open_streams")
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    MAX_FRAME_BYTES_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    HOST_FUNCTIONS_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    MAX_CALLS_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    PLUGIN_NAME_FIELD_NUMBER: _ClassVar[int]
    MAX_OPEN_STREAMS_FIELD_NUMBER: _ClassVar[int]
    protocol: int
    instance_id: str
    heartbeat_interval_ms: int
    max_frame_bytes: int
    settings: _value_pb2.Value
    host_functions: _containers.RepeatedCompositeFieldContainer[FunctionSpec]
    capabilities: _containers.RepeatedScalarFieldContainer[str]
    max_calls_in_flight: int
    plugin_name: str
    max_open_streams: int
    def __init__(self, protocol: _Optional[int] = ..., instance_id: _Optional[str] = ..., heartbeat_interval_ms: _Optional[int] = ..., max_frame_bytes: _Optional[int] = ..., settings: _Optional[_Union[_value_pb2.Value, _Mapping]] = ..., host_functions: _Optional[_Iterable[_Union[FunctionSpec, _Mapping]]] = ..., capabilities: _Optional[_Iterable[str]] = ..., max_calls_in_flight: _Optional[int] = ..., plugin_name: _Optional[str] = ..., max_open_streams: _Optional[int] = ...) -> None: ...

class Reject(_message.Message):
    __slots__ = ("code", "message", "min_protocol", "max_protocol")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MIN_PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    MAX_PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    code: _error_pb2.Code
    message: str
    min_protocol: int
    max_protocol: int
    def __init__(self, code: _Optional[_Union[_error_pb2.Code, str]] = ..., message: _Optional[str] = ..., min_protocol: _Optional[int] = ..., max_protocol: _Optional[int] = ...) -> None: ...
