"""The pass/fail count of ``./nm test`` and the pytest junit report read into it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .common import say


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures: list[str] = []

    def add(self, name: str, ok: bool) -> None:
        if ok:
            self.passed += 1
            say(f"  PASS {name}")
        else:
            self.failed += 1
            self.failures.append(name)
            say(f"  FAIL {name}")

    def summary(self) -> str:
        line = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            line += f", {self.skipped} skipped"
        return line


BROWSER_SKIP = re.compile(r"chrome|chromium|websocket|browser|devtools", re.I)


def count_junit(junit: Path, results: Results) -> None:
    tree = ET.parse(junit)
    for case in tree.iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        kinds = {child.tag: child for child in case}
        if "failure" in kinds or "error" in kinds:
            results.failed += 1
            results.failures.append(name)
        elif "skipped" in kinds:
            message = kinds["skipped"].get("message", "") + (
                kinds["skipped"].text or ""
            )
            if BROWSER_SKIP.search(message):
                # Odoo skips tours silently when it has no browser: that is a failure.
                results.failed += 1
                results.failures.append(
                    f"{name} (browser test skipped: {message.strip()})"
                )
            else:
                results.skipped += 1
        else:
            results.passed += 1
