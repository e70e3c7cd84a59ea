// Command gofmtcheck fails when a Go file under the current directory is not formatted as
// gofmt would format it, and lists those files. It is `gofmt -l .` plus a failing exit
// status, portable to every OS without a shell (Nx: part of `npx nx run sdk-go:lint`):
//
//	go run ./internal/cmd/gofmtcheck
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	var unformatted []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		formatted, err := format.Source(src)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if !bytes.Equal(src, formatted) {
			unformatted = append(unformatted, path)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "gofmtcheck: %v\n", err)
		os.Exit(1)
	}
	if len(unformatted) > 0 {
		fmt.Fprintf(os.Stderr, "gofmtcheck: these files are not gofmt-formatted; run `gofmt -w .` in sdks/go:\n")
		for _, path := range unformatted {
			fmt.Fprintf(os.Stderr, "  %s\n", filepath.ToSlash(path))
		}
		os.Exit(1)
	}
}
