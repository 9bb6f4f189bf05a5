"""Analysis over stored records: consolidation of mentions into real-world events (docs/analysis.md)."""

from __future__ import annotations

from communique.analysis.consolidate import Bucket, Group, Mention, Rules, group, group_bucket
from communique.analysis.updater import Consolidator

__all__ = ["Bucket", "Consolidator", "Group", "Mention", "Rules", "group", "group_bucket"]
