"""Regenerates the protobuf code of the Python SDK from spec/polyproc/v1/*.proto.

Usage, from anywhere (the Nx target `sdk-python:generate` runs it):

    python sdks/python/scripts/generate.py

It needs grpcio-tools (the `dev` extra), whose bundled protoc writes `*_pb2.py` and
`*_pb2.pyi` for src/polyproc/v1; their imports read `from polyproc.v1 import ...`, so the
generated code is the subpackage `polyproc.v1`. protoc writes into a temporary directory
first; then only files whose bytes changed are replaced (each atomically) and files of
removed protos deleted, so tests or type checks running at the same time never see a
half-written package, and an unchanged tree is not touched. The protos are passed in sorted
order by their path inside spec/, and protoc's output depends only on its inputs: running
it twice gives identical files. Plain Python, no shell: it runs the same on Windows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["generate", "main"]

PROJECT = Path(__file__).resolve().parent.parent
SPEC = PROJECT.parent.parent / "spec"
OUT = PROJECT / "src"
PACKAGE = Path("polyproc") / "v1"
GENERATED = "*_pb2.py*"


def main() -> int:
    """main regenerates src/polyproc/v1 and returns the process exit status."""
    return generate(OUT)


def generate(out: Path) -> int:
    """generate writes the code for spec/polyproc/v1 under out/polyproc/v1; 0 on success."""
    proto_dir = SPEC / PACKAGE
    # Paths relative to spec/ with forward slashes: they are the names protoc records in the
    # descriptors and the generated imports, whatever the platform.
    protos = sorted(path.relative_to(SPEC).as_posix() for path in proto_dir.glob("*.proto"))
    if not protos:
        print(f"generate: no .proto files in {proto_dir}", file=sys.stderr)
        return 1
    target = out / PACKAGE
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".generate-") as scratch:
        command = [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            "--proto_path=.",
            f"--python_out={scratch}",
            f"--pyi_out={scratch}",
            *protos,
        ]
        result = subprocess.run(command, cwd=SPEC, check=False)
        if result.returncode != 0:
            print(
                "generate: protoc failed; is grpcio-tools installed? "
                "(pip install -e 'sdks/python[dev]')",
                file=sys.stderr,
            )
            return result.returncode
        fresh = {path.name: path for path in (Path(scratch) / PACKAGE).glob(GENERATED)}
        changed = 0
        for name, path in sorted(fresh.items()):
            current = target / name
            if not current.exists() or current.read_bytes() != path.read_bytes():
                os.replace(path, current)  # atomic on one file system, Windows included
                changed += 1
        stale = [path for path in sorted(target.glob(GENERATED)) if path.name not in fresh]
        for path in stale:
            path.unlink()
    print(
        f"generate: {len(fresh)} files in {target.as_posix()}: "
        f"{changed} written, {len(stale)} removed, {len(fresh) - changed} unchanged"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
