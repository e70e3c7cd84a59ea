from polyproc.v1 import call_pb2 as _call_pb2
from polyproc.v1 import control_pb2 as _control_pb2
from polyproc.v1 import handshake_pb2 as _handshake_pb2
from polyproc.v1 import stream_pb2 as _stream_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Frame(_message.Message):
    __slots__ = ("call", "result", "stream_item", "stream_end", "credit", "cancel", "publish", "ping", "pong", "hello", "welcome", "reject", "subscribe", "unsubscribe", "shutdown", "goodbye")
    CALL_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    STREAM_ITEM_FIELD_NUMBER: _ClassVar[int]
    STREAM_END_FIELD_NUMBER: _ClassVar[int]
    CREDIT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_FIELD_NUMBER: _ClassVar[int]
    PING_FIELD_NUMBER: _ClassVar[int]
    PONG_FIELD_NUMBER: _ClassVar[int]
    HELLO_FIELD_NUMBER: _ClassVar[int]
    WELCOME_FIELD_NUMBER: _ClassVar[int]
    REJECT_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBE_FIELD_NUMBER: _ClassVar[int]
    UNSUBSCRIBE_FIELD_NUMBER: _ClassVar[int]
    SHUTDOWN_FIELD_NUMBER: _ClassVar[int]
    GOODBYE_FIELD_NUMBER: _ClassVar[int]
    call: _call_pb2.Call
    result: _call_pb2.Result
    stream_item: _stream_pb2.StreamItem
    stream_end: _stream_pb2.StreamEnd
    credit: _stream_pb2.Credit
    cancel: _call_pb2.Cancel
    publish: _control_pb2.Publish
    ping: _control_pb2.Ping
    pong: _control_pb2.Pong
    hello: _handshake_pb2.Hello
    welcome: _handshake_pb2.Welcome
    reject: _handshake_pb2.Reject
    subscribe: _control_pb2.Subscribe
    unsubscribe: _control_pb2.Unsubscribe
    shutdown: _control_pb2.Shutdown
    goodbye: _control_pb2.Goodbye
    def __init__(self, call: _Optional[_Union[_call_pb2.Call, _Mapping]] = ..., result: _Optional[_Union[_call_pb2.Result, _Mapping]] = ..., stream_item: _Optional[_Union[_stream_pb2.StreamItem, _Mapping]] = ..., stream_end: _Optional[_Union[_stream_pb2.StreamEnd, _Mapping]] = ..., credit: _Optional[_Union[_stream_pb2.Credit, _Mapping]] = ..., cancel: _Optional[_Union[_call_pb2.Cancel, _Mapping]] = ..., publish: _Optional[_Union[_control_pb2.Publish, _Mapping]] = ..., ping: _Optional[_Union[_control_pb2.Ping, _Mapping]] = ..., pong: _Optional[_Union[_control_pb2.Pong, _Mapping]] = ..., hello: _Optional[_Union[_handshake_pb2.Hello, _Mapping]] = ..., welcome: _Optional[_Union[_handshake_pb2.Welcome, _Mapping]] = ..., reject: _Optional[_Union[_handshake_pb2.Reject, _Mapping]] = ..., subscribe: _Optional[_Union[_control_pb2.Subscribe, _Mapping]] = ..., unsubscribe: _Optional[_Union[_control_pb2.Unsubscribe, _Mapping]] = ..., shutdown: _Optional[_Union[_control_pb2.Shutdown, _Mapping]] = ..., goodbye: _Optional[_Union[_control_pb2.Goodbye, _Mapping]] = ...) -> None: ...
