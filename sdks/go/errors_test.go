package polyproc

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

func TestProtocolErrorMatchesItsSentinelOnly(t *testing.T) {
	kinds := []ProtocolErrorKind{KindFrameTooLarge, KindTruncatedFrame, KindMalformedFrame, KindEmptyFrame, KindValueTooDeep, KindInvalidValue}
	for _, kind := range kinds {
		t.Run(string(kind), func(t *testing.T) {
			err := fmt.Errorf("reading: %w", &ProtocolError{Kind: kind, Message: "m", Err: io.ErrUnexpectedEOF})
			for _, other := range kinds {
				if got := errors.Is(err, other.sentinel()); got != (other == kind) {
					t.Errorf("errors.Is(err, Err%s) = %v", other, got)
				}
			}
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Error("the cause is not reachable through errors.Is")
			}
			var pe *ProtocolError
			if !errors.As(err, &pe) || pe.Kind != kind {
				t.Error("errors.As does not find the ProtocolError")
			}
			if want := string(kind) + ": m"; pe.Error() != want {
				t.Errorf("Error() = %q, want %q", pe.Error(), want)
			}
			if s := kind.sentinel().Error(); s != "polyproc: "+string(kind) {
				t.Errorf("sentinel text %q", s)
			}
		})
	}
	if errors.Is(&ProtocolError{Kind: "SOMETHING_ELSE"}, ErrInvalidValue) {
		t.Error("an unknown kind matches a sentinel")
	}
}

func TestCodeMirrorsTheProtoEnum(t *testing.T) {
	for number, name := range polyprocv1.Code_name {
		code := Code(number)
		if want := name[len("CODE_"):]; code.String() != want {
			t.Errorf("Code(%d).String() = %q, want %q", number, code.String(), want)
		}
		if parsed, ok := ParseCode(name); !ok || parsed != code {
			t.Errorf("ParseCode(%q) = %v, %v", name, parsed, ok)
		}
	}
	if len(polyprocv1.Code_name) != len(codeNames) {
		t.Errorf("the proto enum has %d codes, Code has %d", len(polyprocv1.Code_name), len(codeNames))
	}
	tests := []struct {
		code       Code
		str        string
		normalized Code
	}{
		{CodeUnspecified, "UNSPECIFIED", CodeUnknown},
		{CodeCancelled, "CANCELLED", CodeCancelled},
		{CodeNotFound, "NOT_FOUND", CodeNotFound},
		{CodeUnauthenticated, "UNAUTHENTICATED", CodeUnauthenticated},
		{Code(17), "Code(17)", CodeUnknown},
		{Code(-1), "Code(-1)", CodeUnknown},
	}
	for _, tt := range tests {
		if tt.code.String() != tt.str || tt.code.Normalize() != tt.normalized {
			t.Errorf("Code(%d): String %q, Normalize %v; want %q, %v", int32(tt.code), tt.code.String(), tt.code.Normalize(), tt.str, tt.normalized)
		}
	}
	if _, ok := ParseCode("NOPE"); ok {
		t.Error(`ParseCode("NOPE") succeeded`)
	}
	if c, ok := ParseCode("INTERNAL"); !ok || c != CodeInternal {
		t.Error(`ParseCode("INTERNAL") failed`)
	}
}
