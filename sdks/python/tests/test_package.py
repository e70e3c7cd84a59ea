"""Tests of the package's shape: public names, __all__ everywhere, typing marker."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import polyproc


def own_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules(polyproc.__path__, "polyproc.")
        if not info.name.startswith("polyproc.v1")
    )


def test_every_module_declares_all_and_every_name_exists() -> None:
    modules = own_modules()
    assert "polyproc.frames" in modules
    for name in ["polyproc", *modules]:
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        assert exported is not None, f"{name} has no __all__"
        assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
        for attribute in exported:
            assert hasattr(module, attribute), f"{name}.__all__ names {attribute}, which is missing"


def test_the_package_exports_the_codec() -> None:
    for name in (
        "FrameEncoder",
        "FrameDecoder",
        "encode_frames",
        "decode_body",
        "to_value",
        "fill_value",
        "from_value",
        "validate_value",
        "validate_frame_values",
        "ProtocolError",
        "Code",
        "Frame",
        "Value",
    ):
        assert name in polyproc.__all__


def test_the_package_is_typed() -> None:
    assert (Path(polyproc.__file__).parent / "py.typed").is_file()


def test_the_version_matches_pyproject() -> None:
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    assert f'version = "{polyproc.__version__}"' in pyproject.read_text(encoding="utf-8")
