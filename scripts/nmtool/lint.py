"""Lint: ruff check, ruff format --check, pylint-odoo, and the shape of this tool."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from .addons import addons_dir, find_addons, tests_dir
from .common import ROOT, run, say, step
from .results import Results

LINT_DIRS = ["addons", "tests", "scripts"]
MAX_TOOL_LINES = 500  # a module of scripts/ that grows past this is split by concern


def lint(results: Results) -> None:
    step("Lint: ruff check, ruff format --check, pylint-odoo")
    dirs = [d for d in LINT_DIRS if (ROOT / d).is_dir()]
    if addons_dir() != (ROOT / "addons").resolve():
        dirs = [str(addons_dir()), *[d for d in dirs if d != "addons"]]
    if tests_dir() != (ROOT / "tests").resolve() and tests_dir().is_dir():
        dirs = [str(tests_dir()), *[d for d in dirs if d != "tests"]]
    ruff = [sys.executable, "-m", "ruff"]
    proc = run([*ruff, "check", *dirs])
    results.add("lint: ruff check", proc.returncode == 0)
    proc = run([*ruff, "format", "--check", "--diff", *dirs])
    results.add("lint: ruff format --check", proc.returncode == 0)
    addons = [str(addons_dir() / a) for a in find_addons(addons_dir())]
    if addons:
        proc = run(
            [sys.executable, "-m", "pylint", "--rcfile", ROOT / ".pylintrc", *addons]
        )
        results.add("lint: pylint-odoo", proc.returncode == 0)
    else:
        say("  no addon to check with pylint-odoo")
        results.add("lint: pylint-odoo", True)
    problems = tool_shape_problems(ROOT / "scripts")
    for text in problems:
        say(f"  {text}")
    results.add(
        f"lint: scripts/ modules under {MAX_TOOL_LINES} lines, no import cycle",
        not problems,
    )


def tool_shape_problems(scripts: Path) -> list[str]:
    """Modules of scripts/ over MAX_TOOL_LINES lines, and import cycles between the
    modules of its packages (relative imports)."""
    problems = []
    graph: dict[str, set[str]] = {}
    for path in sorted(scripts.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        count = len(text.splitlines())
        if count > MAX_TOOL_LINES:
            problems.append(f"{path.relative_to(ROOT)}: {count} lines")
        if (path.parent / "__init__.py").is_file():
            package = path.parent.name
            name = f"{package}.{path.stem}"
            graph[name] = set()
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.ImportFrom) and node.level == 1:
                    targets = [node.module] if node.module else []
                    targets += [] if node.module else [a.name for a in node.names]
                    graph[name] |= {f"{package}.{t.split('.')[0]}" for t in targets}
    done: set[str] = set()

    def visit(name, trail):
        if name in trail:
            cycle = [*trail[trail.index(name) :], name]
            problems.append("import cycle: " + " -> ".join(cycle))
            return
        if name in done or name not in graph:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return problems
