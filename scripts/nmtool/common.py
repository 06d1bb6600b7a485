"""Shared by every module of the tool: paths, run directory, output, processes."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


VAR = ROOT / "var"


LOGS = VAR / "logs"


# Each ./nm test run keeps its config, logs and junit.xml in its own directory, so that
# runs started at the same time by several people on one machine do not mix.
RUN_ID = f"{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"


RUN_DIR = VAR / "test-runs" / RUN_ID


CORE_ADDON = "nm_carbon_budget"


TEST_DB_PREFIX = "nmtest_"


DEMO_DB = "nm_demo"


class Fail(Exception):
    """A step failed in a way that stops the command; the message says why."""


def say(msg: str = "") -> None:
    print(msg, flush=True)


def step(msg: str) -> None:
    say(f"\n==> {msg}")


def loud(lines: list[str]) -> None:
    bar = "!" * 78
    say(bar)
    for line in lines:
        say(f"!! {line}")
    say(bar)


def run(
    cmd, *, env=None, check=False, capture=False, logfile=None, cwd=ROOT, quiet=False
):
    """Run a command; with logfile, its output goes there."""
    if not quiet:
        say("  $ " + " ".join(str(c) for c in cmd))
    kwargs = {"cwd": str(cwd), "env": env}
    if logfile:
        logfile.parent.mkdir(parents=True, exist_ok=True)
        with open(logfile, "w", encoding="utf-8") as fh:
            proc = subprocess.run(
                [str(c) for c in cmd], stdout=fh, stderr=subprocess.STDOUT, **kwargs
            )
    elif capture:
        proc = subprocess.run(
            [str(c) for c in cmd], capture_output=True, text=True, **kwargs
        )
    else:
        proc = subprocess.run([str(c) for c in cmd], **kwargs)
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout or "") if capture else ""
        raise Fail(
            f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{detail}"
        )
    return proc


def as_root(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return cmd
    if shutil.which("sudo"):
        return ["sudo", *cmd]
    raise Fail(f"need root to run: {' '.join(cmd)} (no sudo)")


def as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        if shutil.which("runuser"):
            return ["runuser", "-u", "postgres", "--", *cmd]
        return ["su", "postgres", "-c", shlex.join(cmd)]
    return ["sudo", "-u", "postgres", *cmd]
