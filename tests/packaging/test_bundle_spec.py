"""The PyInstaller spec agrees with the code: data where the code looks, every Qt module used."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from counsellor_app.hub import database as hub_database
from counsellor_app.letters import resources as letter_resources
from counsellor_app.store import engine as store_engine
from counsellor_app.ui import app as ui_app

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "counsellor-app.spec"


def _spec_constant(name: str) -> object:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in the spec")


def _spec_data_destinations() -> set[str]:
    return set(re.findall(r'\(str\(ROOT[^)]*\),\s*"([^"]+)"\)', SPEC.read_text(encoding="utf-8")))


def test_bundled_data_lands_where_the_code_looks_for_it() -> None:
    # Frozen, a module's __file__ is <bundle>/counsellor_app/...; the code climbs to the
    # folder holding counsellor_app/ and looks there, so the spec must use the same layout.
    destinations = _spec_data_destinations()
    looked_up = {
        store_engine.MIGRATIONS_DIR.relative_to(ROOT).as_posix(),
        hub_database.MIGRATIONS.relative_to(ROOT).as_posix(),
        ui_app.RESOURCES.relative_to(ROOT).as_posix(),
        letter_resources.resources_dir().relative_to(ROOT).as_posix(),
    }
    assert looked_up <= destinations, looked_up - destinations


def test_every_qt_module_the_app_imports_is_kept_in_the_bundle() -> None:
    used = set(_spec_constant("QT_USED"))  # type: ignore[call-overload]
    imported: set[str] = set()
    for path in (ROOT / "counsellor_app").rglob("*.py"):
        imported.update(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert imported <= used, f"add to QT_USED in the spec: {sorted(imported - used)}"


def test_qt_is_imported_only_under_ui() -> None:
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "counsellor_app").rglob("*.py")
        if "PySide6" in path.read_text(encoding="utf-8")
        and "ui" not in path.relative_to(ROOT / "counsellor_app").parts[:1]
    ]
    assert offenders == []


def test_spec_names_the_dynamically_imported_keyring_backends() -> None:
    text = SPEC.read_text(encoding="utf-8")
    for backend in ("SecretService", "kwallet", "chainer", "fail", "null", "macOS", "Windows"):
        assert f'"keyring.backends.{backend}"' in text
    for module in ("uvicorn.loops.auto", "uvicorn.protocols.http.auto", "uvicorn.lifespan.on"):
        assert f'"{module}"' in text
