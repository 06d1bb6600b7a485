"""Finding the Odoo 19 to run: ``ODOO_SRC`` or an importable ``odoo`` package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .addons import addons_dir, is_addons_path
from .common import Fail, say

HOW_TO_GET_ODOO = """\
Nouvelles Mesures runs on Odoo 19.0 Community, which this project never installs.
Get one of:
  * the official source archive of Odoo 19.0 Community from the Odoo nightly
    server (https://nightly.odoo.com/19.0/nightly/src/) or https://www.odoo.com/page/download,
    unpacked somewhere, then:   export ODOO_SRC=/path/to/odoo-19.0
  * a git checkout:  git clone --branch 19.0 --depth 1 https://github.com/odoo/odoo.git
                     export ODOO_SRC=$PWD/odoo
  * or an Odoo 19 importable by this Python (`python3 -c "import odoo.release"`).
Then run the command again."""


class Odoo:
    def __init__(self, cmd, addons_paths, env, description, version):
        self.cmd = cmd
        self.addons_paths = addons_paths
        self.env = env
        self.description = description
        self.version = version


PROBE = r"""
import json, site, sys, sysconfig
try:
    import odoo
    import odoo.release as release
except Exception as exc:
    print(json.dumps({"error": repr(exc)}))
    sys.exit(0)
sites = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
try:
    sites += site.getsitepackages() + [site.getusersitepackages()]
except Exception:
    pass
print(json.dumps({
    "version_info": list(release.version_info[:2]),
    "version": release.version,
    "paths": [str(p) for p in odoo.__path__],
    "sites": sites,
}))
"""


def find_odoo() -> tuple[Odoo | None, str]:
    """Odoo 19 to use, or None and why not."""
    if os.environ.get("NM_FAKE_NO_ODOO") == "1":
        return None, "NM_FAKE_NO_ODOO=1 simulates a machine without Odoo"
    env = dict(os.environ)
    src = os.environ.get("ODOO_SRC")
    if src:
        src_path = Path(src).expanduser().resolve()
        if not (src_path / "odoo-bin").is_file() or not (src_path / "odoo").is_dir():
            return None, f"ODOO_SRC={src} is not an Odoo source tree (no odoo-bin)"
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(src_path), os.environ.get("PYTHONPATH", "")) if p
        )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd="/"
    )
    try:
        info = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return None, f"probing odoo failed: {proc.stderr.strip()[-500:]}"
    if "error" in info:
        where = f"ODOO_SRC={src}" if src else f"{sys.executable}"
        return None, f"no importable odoo for {where} ({info['error']})"
    if info["version_info"][0] != 19:
        return None, f"found Odoo {info['version']} in {info['paths']}, need 19.0"

    paths: list[Path] = []
    if src:
        cmd = [sys.executable, str(src_path / "odoo-bin")]
        paths += [src_path / "addons", src_path / "odoo" / "addons"]
        description = f"Odoo {info['version']} source tree ODOO_SRC={src_path}"
    else:
        cmd = [sys.executable, "-m", "odoo"]
        for entry in map(Path, info["paths"]):
            if (entry.parent / "odoo-bin").is_file():
                paths.append(entry.parent / "addons")
            paths.append(entry / "addons")
        description = (
            f"Odoo {info['version']} importable by {sys.executable} "
            f"(odoo.__path__ = {', '.join(info['paths'])})"
        )
    for site_dir in info["sites"]:
        paths.append(Path(site_dir) / "odoo" / "addons")
    paths.append(addons_dir())
    unique: list[str] = []
    for p in paths:
        p = p.resolve()
        if is_addons_path(p) and str(p) not in unique:
            unique.append(str(p))
    return Odoo(cmd, unique, env, description, info["version"]), ""


def require_odoo() -> Odoo:
    odoo, why = find_odoo()
    if odoo is None:
        raise Fail(f"No Odoo 19 found: {why}.\n\n{HOW_TO_GET_ODOO}")
    say(f"Using {odoo.description}")
    return odoo
