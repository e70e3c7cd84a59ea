package polyproc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// The direct path (AppendValue, AppendCall, AppendResult, AppendStreamItem) must write
// the bytes of the proto path (ToValue, a Frame, AppendFrame) byte for byte, and fail
// with its errors.

// protoPathCall is what the proto path writes for a Call carrying args: ToValue, then
// AppendFrame. Errors of ToValue keep their root; those of AppendFrame, which validates
// a frame as "call.args", are given the root "args" of the direct path.
func protoPathCall(t *testing.T, enc *FrameEncoder, c CallFrame) ([]byte, error) {
	t.Helper()
	args, err := ToValue(c.Args, "args")
	if err != nil {
		return nil, err
	}
	f := &Frame{Kind: &polyprocv1.Frame_Call{Call: &polyprocv1.Call{
		Id: c.ID, Function: c.Function, Target: c.Target, Args: args, DeadlineMs: c.DeadlineMs,
		Metadata: c.Metadata, Streaming: c.Streaming, InitialCredit: c.InitialCredit}}}
	out, err := enc.AppendFrame(nil, f)
	if err != nil {
		var pe *ProtocolError
		if errors.As(err, &pe) && strings.HasPrefix(pe.Path, "call.") {
			pe.Path = strings.TrimPrefix(pe.Path, "call.")
			pe.Message = strings.TrimPrefix(pe.Message, "call.")
		}
		return nil, err
	}
	if needsFix, _ := validateFrame(f, true); !needsFix {
		// A canonical frame: AppendFrame's body is the deterministic marshal.
		body, err := proto.MarshalOptions{Deterministic: true}.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out[FrameHeaderBytes:], body) {
			t.Fatalf("AppendFrame and the deterministic marshal differ")
		}
	}
	return out, nil
}

func sameError(t *testing.T, got, want error) {
	t.Helper()
	var g, w *ProtocolError
	if !errors.As(got, &g) || !errors.As(want, &w) {
		t.Fatalf("errors are not *ProtocolError: got %v, want %v", got, want)
	}
	if g.Kind != w.Kind || g.Path != w.Path || g.Message != w.Message {
		t.Errorf("got error %s %q %q\nwant %s %q %q", g.Kind, g.Path, g.Message, w.Kind, w.Path, w.Message)
	}
}

func TestAppendValueMatchesToValue(t *testing.T) {
	for _, tt := range append(wireValues(), wireErrorValues()...) {
		t.Run(tt.name, func(t *testing.T) {
			got, gotErr := AppendValue([]byte("prefix"), tt.v, "args")
			v, wantErr := ToValue(tt.v, "args")
			if wantErr == nil {
				wantErr = ValidateValue(v, "args")
			}
			if wantErr != nil {
				if gotErr == nil {
					t.Fatalf("AppendValue succeeded, ToValue failed: %v", wantErr)
				}
				sameError(t, gotErr, wantErr)
				if string(got) != "prefix" {
					t.Errorf("AppendValue appended %d bytes on an error", len(got)-6)
				}
				return
			}
			if gotErr != nil {
				t.Fatalf("AppendValue: %v", gotErr)
			}
			if needs, _ := validateFrame(callFrame(1, "f", v), true); needs {
				v = proto.Clone(v).(*Value)
				canonicalizeValue(v)
			}
			want, err := proto.MarshalOptions{Deterministic: true}.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got[6:], want) || string(got[:6]) != "prefix" {
				t.Fatalf("got  %x\nwant %x", got[6:], want)
			}
		})
	}
}

func TestAppendCallMatchesAppendFrame(t *testing.T) {
	enc := NewFrameEncoder(0)
	metas := []map[string]string{nil, {}, {"b": "2", "a": "1", "": "", "k": ""}}
	for _, tt := range append(wireValues(), wireErrorValues()...) {
		for mi, meta := range metas {
			t.Run(fmt.Sprintf("%s/meta%d", tt.name, mi), func(t *testing.T) {
				c := CallFrame{ID: uint64(mi) * 300, Function: "add", Args: tt.v, Metadata: meta}
				if mi == 2 {
					c.Target, c.DeadlineMs, c.Streaming, c.InitialCredit = "other", 500, true, 1<<20
				}
				got, gotErr := enc.AppendCall([]byte{9}, c)
				want, wantErr := protoPathCall(t, enc, c)
				if wantErr != nil {
					if gotErr == nil {
						t.Fatalf("AppendCall succeeded, the proto path failed: %v", wantErr)
					}
					sameError(t, gotErr, wantErr)
					if len(got) != 1 {
						t.Errorf("AppendCall appended on an error")
					}
					return
				}
				if gotErr != nil {
					t.Fatalf("AppendCall: %v", gotErr)
				}
				if got[0] != 9 || !bytes.Equal(got[1:], want) {
					t.Fatalf("got  %x\nwant %x", got[1:], want)
				}
			})
		}
	}
}

func TestAppendResultAndStreamItemMatchAppendFrame(t *testing.T) {
	enc := NewFrameEncoder(0)
	for _, tt := range append(wireValues(), wireErrorValues()...) {
		t.Run(tt.name, func(t *testing.T) {
			// Result with a value.
			got, gotErr := enc.AppendResult(nil, ResultFrame{ID: 42, Value: tt.v})
			want, wantErr := protoPathFrame(enc, tt.v, "result", func(v *Value) *Frame { return resultFrame(42, v) })
			compareFrames(t, "result", got, gotErr, want, wantErr)
			// StreamItem.
			got, gotErr = enc.AppendStreamItem(nil, StreamItemFrame{ID: 7, Value: tt.v})
			want, wantErr = protoPathFrame(enc, tt.v, "item", func(v *Value) *Frame {
				return &Frame{Kind: &polyprocv1.Frame_StreamItem{StreamItem: &polyprocv1.StreamItem{Id: 7, Value: v}}}
			})
			compareFrames(t, "item", got, gotErr, want, wantErr)
			// Result with an error whose details are the value.
			info := &ErrorInfo{Code: CodeInvalidArgument, Message: "bad", Details: tt.v, OriginPlugin: "p", Retryable: true}
			got, gotErr = enc.AppendResult(nil, ResultFrame{ID: 1, Error: info})
			want, wantErr = protoPathFrame(enc, tt.v, "details", func(v *Value) *Frame {
				if tt.v == nil {
					v = nil
				}
				return &Frame{Kind: &polyprocv1.Frame_Result{Result: &polyprocv1.Result{Id: 1, Outcome: &polyprocv1.Result_Error{
					Error: &polyprocv1.Error{Code: polyprocv1.Code_CODE_INVALID_ARGUMENT, Message: "bad", Details: v, OriginPlugin: "p", Retryable: true}}}}}
			})
			compareFrames(t, "details", got, gotErr, want, wantErr)
		})
	}
}

func protoPathFrame(enc *FrameEncoder, native any, root string, frame func(*Value) *Frame) ([]byte, error) {
	v, err := ToValue(native, root)
	if err != nil {
		return nil, err
	}
	out, err := enc.AppendFrame(nil, frame(v))
	var pe *ProtocolError
	if errors.As(err, &pe) && pe.Path != "" {
		// AppendFrame names the frame's field; the direct path names the root as ToValue does.
		field := map[string]string{"result": "result.value", "item": "streamItem.value", "details": "result.error.details"}[root]
		if rest, ok := strings.CutPrefix(pe.Path, field); ok {
			pe.Path = root + rest
			pe.Message = root + strings.TrimPrefix(pe.Message, field)
		}
	}
	return out, err
}

func compareFrames(t *testing.T, what string, got []byte, gotErr error, want []byte, wantErr error) {
	t.Helper()
	if wantErr != nil {
		if gotErr == nil {
			t.Fatalf("%s: direct path succeeded, the proto path failed: %v", what, wantErr)
		}
		sameError(t, gotErr, wantErr)
		return
	}
	if gotErr != nil {
		t.Fatalf("%s: %v", what, gotErr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s:\ngot  %x\nwant %x", what, got, want)
	}
}

func TestAppendFrameErrors(t *testing.T) {
	small := NewFrameEncoder(50)
	_, err := small.AppendResult(nil, ResultFrame{ID: 1, Value: make([]byte, 100)})
	_, want := small.AppendFrame(nil, resultFrame(1, vBytes(make([]byte, 100))))
	sameError(t, err, want)
	_, err = small.AppendCall(nil, CallFrame{Function: "f", Args: strings.Repeat("x", 60)})
	if kindOf(t, err) != KindFrameTooLarge {
		t.Errorf("call over the limit: %v", err)
	}
	_, err = small.AppendStreamItem(nil, StreamItemFrame{Value: strings.Repeat("x", 60)})
	if kindOf(t, err) != KindFrameTooLarge {
		t.Errorf("item over the limit: %v", err)
	}
	enc := NewFrameEncoder(0)
	for _, c := range []CallFrame{
		{Function: "\xff"},
		{Function: "f", Target: "\xfe"},
		{Function: "f", Metadata: map[string]string{"\xff": "v"}},
		{Function: "f", Metadata: map[string]string{"k": "\xff"}},
	} {
		if _, err := enc.AppendCall(nil, c); kindOf(t, err) != KindMalformedFrame {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if _, err := enc.AppendResult(nil, ResultFrame{Error: &ErrorInfo{Message: "\xff"}}); kindOf(t, err) != KindMalformedFrame {
		t.Errorf("error message not UTF-8: %v", err)
	}
	if _, err := enc.AppendResult(nil, ResultFrame{Value: 1, Error: &ErrorInfo{}}); kindOf(t, err) != KindMalformedFrame {
		t.Errorf("value and error: %v", err)
	}
	// A *Value of the caller's with a string that is not UTF-8: protobuf cannot write it.
	if _, err := enc.AppendStreamItem(nil, StreamItemFrame{Value: []any{vString("\xff")}}); kindOf(t, err) != KindMalformedFrame {
		t.Errorf("*Value not UTF-8: %v", err)
	}
}

func TestAppendResultErrorFields(t *testing.T) {
	enc := NewFrameEncoder(0)
	for _, info := range []*ErrorInfo{
		{},
		{Code: CodeUnavailable, Message: "down", OriginPlugin: "a", OriginInstance: "b"},
		{Code: Code(-3), Details: map[string]any{"why": 1}},
		{Code: Code(99), Details: []any{}, Retryable: true},
	} {
		got, err := enc.AppendResult(nil, ResultFrame{ID: 5, Error: info})
		if err != nil {
			t.Fatal(err)
		}
		pe := &polyprocv1.Error{Code: polyprocv1.Code(info.Code), Message: info.Message,
			OriginPlugin: info.OriginPlugin, OriginInstance: info.OriginInstance, Retryable: info.Retryable}
		if info.Details != nil {
			pe.Details, _ = ToValue(info.Details, "details")
		}
		want := encodeFrames(t, &Frame{Kind: &polyprocv1.Frame_Result{Result: &polyprocv1.Result{Id: 5, Outcome: &polyprocv1.Result_Error{Error: pe}}}})
		if !bytes.Equal(got, want) {
			t.Errorf("%+v:\ngot  %x\nwant %x", info, got, want)
		}
	}
}

// TestAppendMatchesVectors writes the Call, Result and StreamItem frames of the valid
// vectors from their native values and compares with the proto path and, for canonical
// vectors, with the vector's bytes.
func TestAppendMatchesVectors(t *testing.T) {
	enc := NewFrameEncoder(0)
	checked := 0
	for _, vec := range loadVectors[validVector](t, "valid") {
		wire := mustHex(t, vec.Hex)
		f := jsonFrame(t, vec)
		var got []byte
		var err error
		var rebuilt *Frame
		switch k := f.GetKind().(type) {
		case *polyprocv1.Frame_Call:
			c := k.Call
			if c.GetArgs() == nil {
				continue
			}
			native, ferr := FromValue(c.GetArgs(), "args")
			if ferr != nil {
				t.Fatalf("%s: %v", vec.Name, ferr)
			}
			got, err = enc.AppendCall(nil, CallFrame{ID: c.Id, Function: c.Function, Target: c.Target, Args: native,
				DeadlineMs: c.DeadlineMs, Metadata: c.Metadata, Streaming: c.Streaming, InitialCredit: c.InitialCredit})
			v, _ := ToValue(native, "args")
			rebuilt = proto.Clone(f).(*Frame)
			rebuilt.GetCall().Args = v
		case *polyprocv1.Frame_Result:
			if k.Result.GetValue() == nil {
				continue
			}
			native, ferr := FromValue(k.Result.GetValue(), "result")
			if ferr != nil {
				t.Fatalf("%s: %v", vec.Name, ferr)
			}
			got, err = enc.AppendResult(nil, ResultFrame{ID: k.Result.Id, Value: native})
			v, _ := ToValue(native, "result")
			rebuilt = resultFrame(k.Result.Id, v)
		case *polyprocv1.Frame_StreamItem:
			if k.StreamItem.GetValue() == nil {
				continue
			}
			native, ferr := FromValue(k.StreamItem.GetValue(), "item")
			if ferr != nil {
				t.Fatalf("%s: %v", vec.Name, ferr)
			}
			got, err = enc.AppendStreamItem(nil, StreamItemFrame{ID: k.StreamItem.Id, Value: native})
			v, _ := ToValue(native, "item")
			rebuilt = &Frame{Kind: &polyprocv1.Frame_StreamItem{StreamItem: &polyprocv1.StreamItem{Id: k.StreamItem.Id, Value: v}}}
		default:
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", vec.Name, err)
		}
		if want := encodeFrames(t, rebuilt); !bytes.Equal(got, want) {
			t.Errorf("%s: got %x\nwant %x", vec.Name, got, want)
		}
		if vec.Canonical && !bytes.Equal(got, wire) {
			t.Errorf("%s (canonical): got %x\nvector %x", vec.Name, got, wire)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no vector has a Call, Result or StreamItem with a value")
	}
	t.Logf("%d vectors checked", checked)
}
