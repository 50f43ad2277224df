"""The layers of docs/architecture.md keep their direction: the engine imports nothing of the
portal, and no blueprint reaches into another's modules."""
from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
BLUEPRINTS = ("admin", "api", "integration", "patient", "pdf", "public", "relative", "staff", "auth.views")
# The app factory registers every blueprint; the CLI adds the printing commands.
REGISTERS_BLUEPRINTS = ("portal", "portal.cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the portal -> the portal modules it imports."""
    found = {}
    for path in PORTAL.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = _module_name(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                names |= {target} | {f"{target}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
        found[module] = {name for name in names if name == "portal" or name.startswith("portal.")}
    return found


def _blueprint_of(module: str) -> str | None:
    return next((b for b in BLUEPRINTS if module == f"portal.{b}" or module.startswith(f"portal.{b}.")), None)


def _in_engine(module: str) -> bool:
    return module == "portal.timeline" or module.startswith("portal.timeline.")


def test_the_engine_imports_nothing_else_of_the_portal():
    for module, imported in _imports().items():
        if _in_engine(module):
            assert all(_in_engine(name) for name in imported), (module, imported)


def test_no_blueprint_imports_another_blueprints_modules():
    for module, imported in _imports().items():
        own = _blueprint_of(module)
        for name in imported:
            other = _blueprint_of(name)
            if other and other != own and module not in REGISTERS_BLUEPRINTS:
                raise AssertionError(f"{module} imports {name}, of the {other} blueprint")
