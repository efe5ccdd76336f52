"""The layers point one way: ui → services → store → models, reports beside them. A module
that imports upward fails here, naming the module and the import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lscb_desktop"
#: What each layer may not import (the Qt-free core never imports Qt).
FORBIDDEN = {
    "models": (
        "lscb_desktop.store",
        "lscb_desktop.services",
        "lscb_desktop.reports",
        "lscb_desktop.ui",
        "PySide6",
    ),
    "store": ("lscb_desktop.services", "lscb_desktop.reports", "lscb_desktop.ui", "PySide6"),
    "services": ("lscb_desktop.ui", "PySide6"),
    "reports": ("lscb_desktop.services", "lscb_desktop.store", "lscb_desktop.ui", "PySide6"),
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_module_imports_against_the_layers(layer: str) -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in _imports(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert wrong == []
