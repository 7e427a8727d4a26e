"""The import graph of src/geoprestatie has no cycle, counting every import.

Module-level, function-level and ``if TYPE_CHECKING:`` imports all count: a cycle that
only bites at run time in one code path is still a tangle. Parsed with :mod:`ast`, so the
test imports nothing and sees imports that never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import geoprestatie

PACKAGE = Path(geoprestatie.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of ``from <level dots><target> import …`` inside ``module``."""
    if level == 0:
        return target or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Edges module → imported geoprestatie module, for every import statement anywhere."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, path.name == "__init__.py", node.level, node.module)
                # `from pkg import sub` imports the submodule pkg.sub; `from mod import x` mod
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            else:
                continue
            for target in targets:
                # `import a.b.c` binds the deepest module that exists
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path (first node repeated at the end), or None."""
    colour = dict.fromkeys(graph, 0)  # 0 new, 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if colour.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if colour.get(nxt) == 0 and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        colour[node] = 2
        return None

    for start in sorted(graph):
        if colour[start] == 0 and (cycle := visit(start)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph(_modules()))
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_output_never_imports_the_orchestrator() -> None:
    graph = import_graph(_modules())
    output = {m for m in graph if m.startswith("geoprestatie.output")}
    assert output, "the output package exists"
    for module in output:
        assert "geoprestatie.pipeline" not in graph[module], module
    assert not any(m.startswith("geoprestatie.output") for m in graph["geoprestatie.result"])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import geoprestatie.b", {"geoprestatie.b"}),
        ("from geoprestatie import b", {"geoprestatie.b"}),
        ("from geoprestatie.b import thing", {"geoprestatie.b"}),
        ("from . import b", {"geoprestatie.b"}),
        ("def f():\n    from .b import thing", {"geoprestatie.b"}),
        ("if TYPE_CHECKING:\n    from geoprestatie.b import T", {"geoprestatie.b"}),
        ("from geoprestatie import __version__", {"geoprestatie"}),
    ],
)
def test_graph_counts_every_kind_of_import(tmp_path: Path, source: str, expected: set[str]) -> None:
    (tmp_path / "a.py").write_text(source)
    (tmp_path / "b.py").write_text("")
    (tmp_path / "__init__.py").write_text("")
    modules = {
        "geoprestatie": tmp_path / "__init__.py",
        "geoprestatie.a": tmp_path / "a.py",
        "geoprestatie.b": tmp_path / "b.py",
    }
    assert import_graph(modules)["geoprestatie.a"] == expected


def test_find_cycle_sees_a_three_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_run_command_starts_without_the_output_libraries() -> None:
    """``geoprestatie run`` imports the CLI, loads its config and imports the pipeline
    before any work; none of that loads mapclassify, scipy.stats, scikit-learn, matplotlib
    or folium (about 1 s of imports, done when an output needs them)."""
    import subprocess
    import sys

    heavy = ("mapclassify", "scipy.stats", "sklearn", "matplotlib", "folium")
    code = (
        "import sys, geoprestatie.cli, geoprestatie.pipeline\n"
        "from geoprestatie.config import demo_config\n"
        "demo_config()\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
