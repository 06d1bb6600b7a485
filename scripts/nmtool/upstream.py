"""The test suites of the modules we extend, run against the test database where our
addons are installed with demo data: installing our addons must not break them."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from .common import run, say, step
from .results import Results, count_junit

if TYPE_CHECKING:
    from .discovery import Odoo

# module: test paths inside it (account's whole suite is too long: its analytic tests)
UPSTREAM_SUITES = {
    "account_budget_oca": ["tests"],
    "base_tier_validation": ["tests"],
    "report_xlsx": ["tests"],
    "analytic": ["tests"],
    "account": ["tests/test_account_analytic.py"],
    "portal": ["tests"],
}
# Tests that fail on a database without our addons too (the environment, not us), each
# with the reason, checked on such a database: "path::Class::test": "why".
UPSTREAM_DESELECTED: dict[str, str] = {}

SUITE_OF = re.compile(r"(\w+)/tests/")  # a test case's file: <module>/tests/...


def suite_paths(odoo: Odoo) -> tuple[list[str], list[str]]:
    """Test paths of the upstream suites found in the addons path, and the modules
    whose suite was not found."""
    paths, missing = [], []
    for module, subpaths in UPSTREAM_SUITES.items():
        base = next(
            (
                Path(p) / module
                for p in odoo.addons_paths
                if (Path(p) / module / "__manifest__.py").is_file()
            ),
            None,
        )
        found = [base / sub for sub in subpaths if base and (base / sub).exists()]
        if found:
            paths += [str(p) for p in found]
        else:
            missing.append(module)
    return paths, missing


def per_suite(junit: Path) -> dict[str, list[int]]:
    """{module: [passed, failed, skipped]} of a junit report."""
    counts: dict[str, list[int]] = {}
    for case in ET.parse(junit).iter("testcase"):
        match = SUITE_OF.search(case.get("file", ""))
        module = match.group(1) if match else "?"
        kinds = {child.tag for child in case}
        index = 1 if kinds & {"failure", "error"} else 2 if "skipped" in kinds else 0
        counts.setdefault(module, [0, 0, 0])[index] += 1
    return counts


def run_upstream(odoo: Odoo, base_cmd: list, junit: Path, results: Results) -> None:
    step("Upstream suites of the modules we extend, with our addons installed")
    paths, missing = suite_paths(odoo)
    for module in missing:
        results.add(f"upstream suite of {module} found", False)
    if not paths:
        return
    cmd = [*base_cmd, "--junitxml", junit]
    for node, why in UPSTREAM_DESELECTED.items():
        say(f"  deselected {node}: {why}")
        cmd += ["--deselect", node]
    if junit.exists():
        junit.unlink()
    started = time.monotonic()
    proc = run([*cmd, *paths], env=odoo.env)
    say(
        f"  upstream suites: {time.monotonic() - started:.0f} s, exit {proc.returncode}"
    )
    if not junit.exists():
        results.add(f"upstream pytest session (exit code {proc.returncode})", False)
        return
    before, listed = results.failed, len(results.failures)
    count_junit(junit, results)
    modules = {
        f"{case.get('classname', '')}::{case.get('name', '')}": SUITE_OF.search(
            case.get("file", "")
        )
        for case in ET.parse(junit).iter("testcase")
    }
    for index in range(listed, len(results.failures)):
        name = results.failures[index]
        match = modules.get(name.split(" (", 1)[0])
        results.failures[index] = f"upstream {match.group(1) if match else '?'}: {name}"
    for module, (passed, failed, skipped) in sorted(per_suite(junit).items()):
        say(f"  {module:<22} {passed:4d} passed, {failed:3d} failed, {skipped} skipped")
    if proc.returncode not in (0, 1, 5):
        results.add(f"upstream pytest session (exit code {proc.returncode})", False)
    elif proc.returncode == 1 and results.failed == before:
        results.add("upstream pytest session (exit code 1 without failed test)", False)
