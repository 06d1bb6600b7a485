#!/usr/bin/env python3
"""Developer tool of Nouvelles Mesures, called through ``./nm`` (see nmtool/cli.py).

The code is the package ``scripts/nmtool/``, one module per concern.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nmtool.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
