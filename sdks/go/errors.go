package polyproc

import (
	"strconv"
	"strings"
)

// ProtocolErrorKind names the rule of the wire protocol that a ProtocolError reports. The
// names are those of PROTOCOL.md §3.4 and §9, the same strings in every language's SDK and
// in the `error` field of the invalid vectors in spec/vectors.
type ProtocolErrorKind string

const (
	// KindFrameTooLarge is a frame whose length is over the frame-size limit (§3.2), when
	// decoding (the length prefix) or encoding (the body).
	KindFrameTooLarge ProtocolErrorKind = "FRAME_TOO_LARGE"
	// KindTruncatedFrame is input that ended inside a frame (§3.1).
	KindTruncatedFrame ProtocolErrorKind = "TRUNCATED_FRAME"
	// KindMalformedFrame is a frame body that is not a valid protobuf polyproc.v1.Frame
	// (§3.4 step 2), invalid UTF-8 in a string field included.
	KindMalformedFrame ProtocolErrorKind = "MALFORMED_FRAME"
	// KindEmptyFrame is a Frame with no kind set that this version knows (§3.4 step 3).
	KindEmptyFrame ProtocolErrorKind = "EMPTY_FRAME"
	// KindValueTooDeep is a Value nested deeper than 64 levels (§9.4).
	KindValueTooDeep ProtocolErrorKind = "VALUE_TOO_DEEP"
	// KindInvalidValue is a Value with no kind, a map with a key twice, or a Go value that
	// has no Value form (§9).
	KindInvalidValue ProtocolErrorKind = "INVALID_VALUE"
)

// Sentinel errors, one per ProtocolErrorKind, so that callers can test a kind with
// errors.Is(err, polyproc.ErrFrameTooLarge) without a type assertion.
var (
	// ErrFrameTooLarge matches every ProtocolError of kind FRAME_TOO_LARGE.
	ErrFrameTooLarge error = &kindError{KindFrameTooLarge}
	// ErrTruncatedFrame matches every ProtocolError of kind TRUNCATED_FRAME.
	ErrTruncatedFrame error = &kindError{KindTruncatedFrame}
	// ErrMalformedFrame matches every ProtocolError of kind MALFORMED_FRAME.
	ErrMalformedFrame error = &kindError{KindMalformedFrame}
	// ErrEmptyFrame matches every ProtocolError of kind EMPTY_FRAME.
	ErrEmptyFrame error = &kindError{KindEmptyFrame}
	// ErrValueTooDeep matches every ProtocolError of kind VALUE_TOO_DEEP.
	ErrValueTooDeep error = &kindError{KindValueTooDeep}
	// ErrInvalidValue matches every ProtocolError of kind INVALID_VALUE.
	ErrInvalidValue error = &kindError{KindInvalidValue}
)

// kindError is the type of the sentinels: an error that is only a kind.
type kindError struct{ kind ProtocolErrorKind }

func (e *kindError) Error() string { return "polyproc: " + string(e.kind) }

// sentinel returns the sentinel error of a kind, or nil for a kind this package does not
// define.
func (k ProtocolErrorKind) sentinel() error {
	switch k {
	case KindFrameTooLarge:
		return ErrFrameTooLarge
	case KindTruncatedFrame:
		return ErrTruncatedFrame
	case KindMalformedFrame:
		return ErrMalformedFrame
	case KindEmptyFrame:
		return ErrEmptyFrame
	case KindValueTooDeep:
		return ErrValueTooDeep
	case KindInvalidValue:
		return ErrInvalidValue
	}
	return nil
}

// ProtocolError is a local failure of the wire protocol: a frame that cannot be decoded or
// is too large to send, a value that cannot be mapped (PROTOCOL.md §3.4, §9). It is never an
// error that the peer sent as an answer; a connection whose decoder returns one must be
// closed. Use errors.As to get at it and errors.Is with the Err* sentinels to test its kind.
type ProtocolError struct {
	// Kind is the rule that was broken.
	Kind ProtocolErrorKind
	// Message says what was wrong and how to fix it.
	Message string
	// Path is, for value errors, where in the value the problem is, from a root the
	// caller named: `args.items[3].price`, `args["not an identifier"]`. Empty otherwise.
	Path string
	// Err is the underlying cause, if any (a protobuf parse error, for instance).
	Err error
}

// Error returns "KIND: message".
func (e *ProtocolError) Error() string {
	return string(e.Kind) + ": " + e.Message
}

// Unwrap returns the cause, so that errors.Is and errors.As see it.
func (e *ProtocolError) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's kind (ErrFrameTooLarge, ...).
func (e *ProtocolError) Is(target error) bool {
	s := e.Kind.sentinel()
	return s != nil && target == s
}

func newProtocolError(kind ProtocolErrorKind, message string) *ProtocolError {
	return &ProtocolError{Kind: kind, Message: message}
}

// Code classifies an error that crosses the wire (PROTOCOL.md §8). The numbers are gRPC's
// status codes and those of the polyproc.v1.Code enum; gRPC's OK (0) is CodeUnspecified,
// because success is a result, never an error. A code of 0 or a number this version does
// not know is read as CodeUnknown (see Normalize).
type Code int32

// The codes of PROTOCOL.md §8, numbered as in gRPC and in polyproc.v1.Code.
const (
	CodeUnspecified        Code = 0
	CodeCancelled          Code = 1
	CodeUnknown            Code = 2
	CodeInvalidArgument    Code = 3
	CodeDeadlineExceeded   Code = 4
	CodeNotFound           Code = 5
	CodeAlreadyExists      Code = 6
	CodePermissionDenied   Code = 7
	CodeResourceExhausted  Code = 8
	CodeFailedPrecondition Code = 9
	CodeAborted            Code = 10
	CodeOutOfRange         Code = 11
	CodeUnimplemented      Code = 12
	CodeInternal           Code = 13
	CodeUnavailable        Code = 14
	CodeDataLoss           Code = 15
	CodeUnauthenticated    Code = 16
)

var codeNames = [...]string{
	"UNSPECIFIED", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
	"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
	"FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
	"UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
}

// String returns the code's name as PROTOCOL.md §8 writes it ("NOT_FOUND"), or "Code(N)"
// for a number this version does not know.
func (c Code) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// Normalize returns the code a receiver acts on (PROTOCOL.md §8): CodeUnknown for
// CodeUnspecified and for numbers this version does not know, c itself otherwise.
func (c Code) Normalize() Code {
	if c <= CodeUnspecified || int(c) >= len(codeNames) {
		return CodeUnknown
	}
	return c
}

// ParseCode returns the code named s, with or without the proto enum's "CODE_" prefix
// ("NOT_FOUND", "CODE_NOT_FOUND"), and whether s names one.
func ParseCode(s string) (Code, bool) {
	name := strings.TrimPrefix(s, "CODE_")
	for i, n := range codeNames {
		if n == name {
			return Code(i), true
		}
	}
	return CodeUnspecified, false
}
