"""Tests that the generated code matches its protos and the runtime the package requires."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SPEC = PROJECT.parents[1] / "spec"
GENERATED = PROJECT / "src" / "polyproc" / "v1"


def generated_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(GENERATED.glob("*_pb2.py*"))}


def load_generate_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", PROJECT / "scripts" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_proto_has_its_module_and_stub() -> None:
    protos = sorted(path.stem for path in (SPEC / "polyproc" / "v1").glob("*.proto"))
    assert protos, "no protos in spec/polyproc/v1"
    expected = sorted([f"{p}_pb2.py" for p in protos] + [f"{p}_pb2.pyi" for p in protos])
    assert sorted(generated_files()) == expected


def test_the_runtime_requirement_starts_at_the_gencode_version() -> None:
    # Gencode of protobuf V.x runs on runtime >= V.x and < V+1 (V+2 for the next major):
    # pyproject.toml must require at least the version the code was generated for.
    versions = set()
    for name, text in generated_files().items():
        if name.endswith(".py"):
            match = re.search(rb"# Protobuf Python Version: (\d+)\.(\d+)\.(\d+)", text)
            assert match, f"{name} has no version header"
            versions.add(tuple(int(part) for part in match.groups()))
    assert len(versions) == 1, versions
    (gencode,) = versions
    pyproject = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    requirement = re.search(r'"protobuf>=(\d+)\.(\d+)\.(\d+),<(\d+)"', pyproject)
    assert requirement, "pyproject.toml must require protobuf>=X.Y.Z,<N"
    lower = tuple(int(part) for part in requirement.groups()[:3])
    upper = int(requirement.group(4))
    assert lower == gencode
    assert upper == gencode[0] + 1


def test_the_generated_code_is_up_to_date(tmp_path: Path) -> None:
    pytest.importorskip("grpc_tools", reason="grpcio-tools (the dev extra) regenerates the code")
    script = load_generate_script()
    assert script.generate(tmp_path) == 0
    fresh = {path.name: path.read_bytes() for path in (tmp_path / "polyproc" / "v1").iterdir()}
    assert fresh == generated_files(), "run scripts/generate.py (nx run sdk-python:generate)"


def test_the_generated_package_is_polyproc_v1() -> None:
    from polyproc.v1 import frame_pb2

    assert frame_pb2.Frame.DESCRIPTOR.full_name == "polyproc.v1.Frame"
    assert frame_pb2.__name__ == "polyproc.v1.frame_pb2"
    assert "polyproc.v1.frame_pb2" in sys.modules
