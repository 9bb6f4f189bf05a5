"""Registries of pluggable parts, by namespaced and versioned name.

Third parties add readers through the `communique_readers` entry-point group.
"""

from __future__ import annotations

import catalogue

readers = catalogue.create("communique", "readers", entry_points=True)
exporters = catalogue.create("communique", "exporters", entry_points=True)
