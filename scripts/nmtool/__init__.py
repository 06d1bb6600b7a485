"""Nouvelles Mesures developer tool (``./nm``): one module per concern.

- ``common``: paths, run directory, output, running commands
- ``system``: apt-get and pip installs (PostgreSQL, Chromium, wkhtmltopdf, libraries)
- ``addons``: our addons, test-only addons, install order
- ``discovery``: finding Odoo 19
- ``pg``: PostgreSQL
- ``odoorun``: Odoo configs, install/update/uninstall/shell runs, log reading
- ``results``, ``lint``, ``testrun``: ``./nm test``
- ``checks``, ``upgrade``: install/uninstall and upgrade checks
- ``demo``: ``./nm demo``, ``./nm stop``
- ``bench``: ``./nm bench``
- ``cli``: the command line
"""
