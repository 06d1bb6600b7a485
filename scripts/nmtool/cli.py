"""Developer tool of Nouvelles Mesures: run every test, start a demo, stop it.

Standard library only (Python 3.10+). Called through ``./nm`` at the repository root::

    ./nm test [--require-odoo] [--keep-db] [-k EXPR] [paths...]
    ./nm demo [--port 8069] [--foreground]
    ./nm stop

It never installs or downloads Odoo: it runs an Odoo 19 Community that is already
there (``ODOO_SRC`` naming a source tree, or an importable ``odoo`` package).

Environment variables:
    ODOO_SRC          Odoo 19 source tree (containing odoo-bin) to use.
    NM_DB_HOST, NM_DB_PORT, NM_DB_USER, NM_DB_PASSWORD
                      PostgreSQL connection (default localhost, 5432, nm, nm).
    NM_ADDONS_DIR     directory of the addons to test (default: addons/ of the repo).
    NM_SKIP_PIP=1     do not run pip.
    NM_SKIP_APT=1     never call apt-get (PostgreSQL, Chromium must be there).
    NM_FAKE_NO_ODOO=1 behave as if no Odoo 19 were installed (to test that path).
    NM_SKIP_IU=1      skip the install/uninstall check of ``./nm test``.
    NM_SKIP_UPSTREAM=1 skip the upstream suites (modules we extend) of ``./nm test``.
"""

from __future__ import annotations

import argparse
import sys

from .bench import main as cmd_bench
from .demo import cmd_demo, cmd_stop
from .testrun import cmd_test


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="nm", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="lint, install the addons, run every test")
    test.add_argument(
        "--require-odoo", action="store_true", help="fail without Odoo 19"
    )
    test.add_argument("--keep-db", action="store_true", help="keep the test databases")
    test.add_argument(
        "-k", help="pytest -k expression (skips the install/uninstall check)"
    )
    test.add_argument("paths", nargs="*", help="test paths for pytest (default: all)")
    test.set_defaults(func=cmd_test)
    demo = sub.add_parser("demo", help="start a demo server with French demo data")
    demo.add_argument("--port", type=int, default=8069)
    demo.add_argument("--foreground", action="store_true")
    demo.set_defaults(func=cmd_demo)
    stop = sub.add_parser("stop", help="stop the demo server")
    stop.set_defaults(func=cmd_stop)
    sub.add_parser("bench", help="benchmark at city (S) / metropolis (L) scale")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        return cmd_bench(argv[1:])  # its own options: --scale S|L|both, --rebuild
    args = parser.parse_args(argv)
    return args.func(args)
