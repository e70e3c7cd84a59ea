// Command generate regenerates the Go protobuf code of spec/polyproc/v1 into
// internal/gen/polyprocv1. Run it from sdks/go (Nx: `npx nx run sdk-go:generate`):
//
//	go run ./internal/cmd/generate
//
// It builds protoc-gen-go from this module's own go.mod into ../../.tools/bin (so the
// generator is the version of the runtime this module requires), empties the generated
// directory so that code of removed protos disappears, and runs buf with buf.gen.yaml on
// ../../spec. buf comes from $BUF when set, else from ../../node_modules/.bin (npm ci
// installs it), else from PATH. The output is byte-identical on every run.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

const (
	genDir     = "internal/gen/polyprocv1"
	toolsDir   = "../../.tools/bin"
	specDir    = "../../spec"
	template   = "buf.gen.yaml"
	pluginPkg  = "google.golang.org/protobuf/cmd/protoc-gen-go"
	modulePath = "github.com/polyproc/polyproc/sdks/go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "generate: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	if err := checkWorkingDirectory(); err != nil {
		return err
	}
	plugin := filepath.Join(toolsDir, "protoc-gen-go")
	if runtime.GOOS == "windows" {
		plugin += ".exe"
	}
	if err := command("go", "build", "-o", plugin, pluginPkg); err != nil {
		return fmt.Errorf("building protoc-gen-go: %w", err)
	}
	buf, err := findBuf()
	if err != nil {
		return err
	}
	if err := os.RemoveAll(genDir); err != nil {
		return fmt.Errorf("emptying %s: %w", genDir, err)
	}
	if err := command(buf, "generate", "--template", template, specDir); err != nil {
		return fmt.Errorf("running buf generate: %w", err)
	}
	files, err := filepath.Glob(filepath.Join(genDir, "*.pb.go"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("buf generate wrote no Go files into %s; check the go_package option of the protos in %s", genDir, specDir)
	}
	fmt.Printf("generated %d files into %s\n", len(files), genDir)
	return nil
}

// checkWorkingDirectory makes sure the relative paths above point where they should.
func checkWorkingDirectory() error {
	data, err := os.ReadFile("go.mod")
	if err != nil || !strings.Contains(string(data), "module "+modulePath+"\n") {
		return errors.New("run this from sdks/go (the directory of the module " + modulePath + "), e.g. `npx nx run sdk-go:generate`")
	}
	if _, err := os.Stat(filepath.Join(specDir, "polyproc", "v1")); err != nil {
		return fmt.Errorf("the protos are not at %s/polyproc/v1: %w", specDir, err)
	}
	return nil
}

// findBuf locates the buf CLI: $BUF, then the repository's node_modules, then PATH.
func findBuf() (string, error) {
	if env := os.Getenv("BUF"); env != "" {
		return env, nil
	}
	local := filepath.Join("..", "..", "node_modules", ".bin", "buf")
	if path, err := exec.LookPath(local); err == nil {
		return path, nil
	}
	if path, err := exec.LookPath("buf"); err == nil {
		return path, nil
	}
	return "", errors.New("buf not found: run `npm ci` at the repository root (it installs @bufbuild/buf), or set BUF to the buf binary")
}

func command(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	fmt.Printf("$ %s %s\n", name, strings.Join(args, " "))
	return cmd.Run()
}
