// Demo, step 3 of 3 (Go): reads the Python step's Result frames from stdin and prints the
// value of each, as Go values.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"

	polyproc "github.com/polyproc/polyproc/sdks/go"
)

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go: reading stdin:", err)
		os.Exit(1)
	}
	decoder := polyproc.NewFrameDecoder(polyproc.DefaultMaxFrameBytes)
	frames, err := decoder.Push(input)
	if err == nil {
		err = decoder.End()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go: decoding:", err)
		os.Exit(1)
	}
	for _, frame := range frames {
		result := frame.GetResult()
		value, err := polyproc.FromValue(result.GetValue(), "result")
		if err != nil {
			fmt.Fprintln(os.Stderr, "go: mapping:", err)
			os.Exit(1)
		}
		fmt.Printf("go     <- result #%d: %s\n", result.GetId(), describe(value))
	}
	fmt.Printf("go     decoded %d frames from %d bytes: TypeScript -> Python -> Go, byte-compatible\n", len(frames), len(input))
}

// describe prints a mapped value with its Go types, shortening long byte strings.
func describe(v any) string {
	switch x := v.(type) {
	case []byte:
		if len(x) > 8 {
			return fmt.Sprintf("[]byte(%d)%x…", len(x), x[:8])
		}
		return fmt.Sprintf("[]byte%x", x)
	case map[string]any:
		s := "map{"
		first := true
		for _, k := range sortedKeys(x) {
			if !first {
				s += ", "
			}
			first = false
			s += fmt.Sprintf("%q: %s", k, describe(x[k]))
		}
		return s + "}"
	case []any:
		s := "["
		for i, item := range x {
			if i > 0 {
				s += ", "
			}
			s += describe(item)
		}
		return s + "]"
	default:
		return fmt.Sprintf("%T(%v)", v, v)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
