"""The core never imports Django (or anything that does), nor reads a clock or float money."""

import ast
from pathlib import Path

import samkalk.core

CORE = Path(samkalk.core.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_modules_import_only_the_standard_library_and_the_core():
    files = sorted(CORE.glob("*.py"))
    assert files
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            assert top != "django", f"{path.name} imports {name}"
            if top == "samkalk":
                assert name.startswith("samkalk.core"), f"{path.name} imports {name}"


def test_core_never_reads_the_clock():
    for path in CORE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in ("date.today(", "datetime.now(", "time.time("):
            assert call not in text, f"{path.name} calls {call}"
