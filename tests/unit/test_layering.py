"""The layers of DESIGN.md: Qt only in ui/, no SQLAlchemy sessions in ui/, no upward imports."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "isms_desktop"

# What each layer may import from the package (besides itself).
ALLOWED = {
    "domain": {"domain"},
    "catalog": {"domain", "catalog"},
    "storage": {"domain", "catalog", "storage"},
    "services": {"domain", "catalog", "storage", "services"},
    "reports": {"domain", "catalog", "storage", "services", "reports"},
    "ui": {"domain", "catalog", "services", "reports", "ui", "storage"},
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if ".venv" not in p.parts)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _layer(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def test_the_package_has_the_layers_of_the_design() -> None:
    for layer in ALLOWED:
        assert (PACKAGE / layer / "__init__.py").is_file(), layer
    assert (PACKAGE / "cli.py").is_file()
    assert (PACKAGE / "__main__.py").is_file()


def test_pyside6_is_imported_only_in_ui() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _modules()
        if _layer(path) != "ui" and any(n.split(".")[0] == "PySide6" for n in _imports(path))
    ]
    assert offenders == []


def test_ui_uses_no_sqlalchemy_session() -> None:
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        imports = _imports(path)
        if any(n.split(".")[0] == "sqlalchemy" for n in imports):
            offenders.append(f"{path.name}: imports sqlalchemy")
        for needle in ("Session(", "sessionmaker", ".transaction()", ".reading()", ".session()"):
            if needle in text:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == []


def test_layers_import_only_downwards() -> None:
    offenders = []
    for path in _modules():
        layer = _layer(path)
        if layer not in ALLOWED:
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "isms_desktop" or len(parts) < 2:
                continue
            target = parts[1]
            if target in ALLOWED and target not in ALLOWED[layer]:
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
            if target == "cli":
                offenders.append(f"{path.relative_to(PACKAGE)} imports the CLI")
    assert offenders == []
