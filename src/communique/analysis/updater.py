"""Consolidation, the store-facing part: keep the `consolidated` tables in step with `events`.

Incremental by bucket (see `consolidate.py`): when a batch of articles gets new layers, the
buckets their old mentions were grouped in and the buckets of their new mentions are rebuilt,
once per batch, from their current members, and nothing else is read. `Consolidator` is the
writer's layer hook, so the rebuild runs inside the transaction that commits the layers: a
killed run never leaves mentions without their groups, nor groups with missing mentions.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable

from communique.analysis.consolidate import Bucket, Group, Mention, Rules, bucket_of, group_bucket
from communique.errors import StoreError

LOGGER = logging.getLogger(__name__)

_MENTIONS = ("SELECT e.id, e.article_id, e.sentence, e.type, e.mode, coalesce(e.source_country, e.source_actor),"
             " coalesce(e.target_country, e.target_actor), e.mutual, e.date_value, e.date_precision, e.date_basis,"
             " e.place, e.place_country, e.modality, e.confidence, e.quad_class, e.goldstein FROM events e")
_IN_BUCKET = "family = ? AND bucket_a = ? AND bucket_b = ? AND period = ?"


def _mentions(conn: sqlite3.Connection, where: str, params: Iterable[object]) -> list[Mention]:
    return [Mention(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), *r[8:]) for r in
            conn.execute(f"{_MENTIONS} {where}", tuple(params))]


class Consolidator:
    """Rebuilds the consolidated groups an article touches; use as `Writer.replace_layer(..., hook=)`.

    `every` is how many analysed articles may wait for their groups: the buckets are rebuilt at the
    first batch commit after that many, and at the last commit of a run. The buckets that lose
    members meanwhile are listed in `consolidation_dirty` in the same transaction as the layer, so
    a run killed before the rebuild leaves loose mentions and dirty buckets that `backfill`
    regroups; nothing is ever lost, and the groups lag the layers by at most `every` articles.
    """

    def __init__(self, rules: Rules | None = None, every: int = 1) -> None:
        self.rules = rules or Rules.load()
        self.every = max(1, every)
        self._articles: list[str] = []
        self.rebuilt = 0
        self.written = 0

    def before(self, conn: sqlite3.Connection, article_id: str) -> None:
        """Mark the buckets of the article's current groups dirty (its mentions are about to go)."""
        conn.execute(
            "INSERT OR IGNORE INTO consolidation_dirty(family, bucket_a, bucket_b, period)"
            " SELECT DISTINCT c.family, c.bucket_a, c.bucket_b, c.period FROM consolidated_mentions m"
            " JOIN consolidated c ON c.id = m.consolidated_id WHERE m.article_id = ?", (article_id,))

    def after(self, conn: sqlite3.Connection, article_id: str) -> None:
        """Note the article; its buckets are rebuilt by `flush`."""
        self._articles.append(article_id)

    def flush(self, conn: sqlite3.Connection, final: bool = True) -> None:
        """Group the new mentions of the waiting articles and rebuild every dirty bucket and every bucket
        they join, once `every` articles wait (or at the `final` commit of a run).

        The writer calls it just before it commits a batch, so the groups commit with the layers.
        """
        if len(self._articles) < self.every and not final:
            return
        new: list[Mention] = []
        for start in range(0, len(self._articles), 500):
            chunk = self._articles[start:start + 500]
            new += _mentions(conn, f"WHERE e.article_id IN ({','.join('?' * len(chunk))})", chunk)
        self._rebuild_all(conn, self._eligible(new), self._dirty(conn))
        self._articles = []

    def _dirty(self, conn: sqlite3.Connection) -> set[Bucket]:
        """The buckets marked dirty, unmarked: the caller rebuilds them in the same transaction."""
        dirty = {Bucket(*r) for r in conn.execute(
            "SELECT family, bucket_a, bucket_b, period FROM consolidation_dirty")}
        conn.execute("DELETE FROM consolidation_dirty")
        return dirty

    def backfill(self, conn: sqlite3.Connection) -> int:
        """Group the mentions that have no group yet (a store migrated from schema 4, or a run killed before its
        groups were rebuilt) and rebuild the buckets left dirty; returns how many mentions it grouped.

        Year by year, then the undated rest, so that a million mentions are never all in memory:
        a rebuild merges with the groups already written, so the chunks add up to one grouping.
        """
        loose = "WHERE NOT EXISTS (SELECT 1 FROM consolidated_mentions m WHERE m.event_id = e.id)"
        years = [r[0] for r in conn.execute("SELECT DISTINCT substr(date_value, 1, 4) FROM events"
                                            " WHERE date_value GLOB '[0-9][0-9][0-9][0-9]*' ORDER BY 1")]
        chunks = [(f"{loose} AND e.date_value >= ? AND e.date_value < ?", (y, f"{int(y) + 1:04d}")) for y in years]
        total = 0
        if dirty := self._dirty(conn):  # buckets a killed run marked and never rebuilt
            self._rebuild_all(conn, [], dirty)
        for where, params in [*chunks, (loose, ())]:
            mentions = self._eligible(_mentions(conn, where, params))
            if mentions:
                LOGGER.info("consolidating %s mentions that have no group yet", len(mentions))
                self._rebuild_all(conn, mentions, set())
            total += len(mentions)
        return total

    def _eligible(self, mentions: list[Mention]) -> list[Mention]:
        return [m for m in mentions if m.modality in self.rules.modalities]

    def _rebuild_all(self, conn: sqlite3.Connection, new: list[Mention], touched: set[Bucket]) -> None:
        by_bucket: dict[Bucket, list[Mention]] = {b: [] for b in touched}
        for m in new:
            by_bucket.setdefault(bucket_of(m, self.rules), []).append(m)
        for bucket in sorted(by_bucket):
            self.rebuild(conn, bucket, by_bucket[bucket])

    def rebuild(self, conn: sqlite3.Connection, bucket: Bucket, extra: list[Mention]) -> list[Group]:
        """Regroup one bucket from its current members plus `extra`; write only the groups that changed.

        A group whose summary and members (in order) are unchanged keeps its row untouched; the
        others are replaced, keeping `first_seen` of surviving ids, and groups left empty go. The
        rows come out exactly as a delete-and-reinsert of the whole bucket would leave them.
        """
        key = (bucket.family, bucket.side_a, bucket.side_b, bucket.period)
        stored = {r[0]: (tuple(r[1:-1]), r[-1]) for r in conn.execute(
            f"SELECT id, {', '.join(_COLUMNS[1:])}, first_seen FROM consolidated WHERE {_IN_BUCKET}", key)}
        members: dict[str, list[tuple[str, str]]] = {}
        pool = {m.event_id: m for m in extra}
        evidence: dict[str, tuple[object, ...]] = {}
        for gid, m, copied in _members(conn, key):
            members.setdefault(gid, []).append((m.event_id, m.article_id))
            pool.setdefault(m.event_id, m)
            evidence[m.event_id] = copied
        groups = group_bucket(bucket, pool.values(), self.rules) if pool else []
        fresh = [g for g in groups if g.id not in stored or stored[g.id][0] != _row(g)[1:]
                 or members.get(g.id) != [(m.event_id, m.article_id) for m in g.members]]
        stale = set(stored) - {g.id for g in groups} | {g.id for g in fresh if g.id in stored}
        for start in range(0, len(stale), 500):
            chunk = sorted(stale)[start:start + 500]
            conn.execute(f"DELETE FROM consolidated WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        _insert(conn, fresh, {gid: first for gid, (_, first) in stored.items()}, evidence)
        self.rebuilt += 1
        self.written += len(fresh)
        return groups


_COLUMNS = ("id", "family", "bucket_a", "bucket_b", "period", "type", "mode", "modality", "side_a", "side_b",
            "mutual", "date_value", "date_precision", "place", "place_country", "quad_class", "goldstein",
            "mention_count", "article_count", "best_event")


_COPIED = ("sentence", "evidence_start", "evidence_end", "evidence", "published", "source")


def _members(conn: sqlite3.Connection, key: tuple[str, ...]) -> list[tuple[str, Mention, tuple[object, ...]]]:
    """The current members of a bucket with their group and the evidence copied with them, in each group's
    member order."""
    sql = (_MENTIONS.replace("SELECT ", f"SELECT m.consolidated_id, {', '.join(f'm.{c}' for c in _COPIED)}, ", 1)
           + " JOIN consolidated_mentions m ON m.event_id = e.id JOIN consolidated c ON c.id = m.consolidated_id"
           + f" WHERE {_IN_BUCKET}"
           + " ORDER BY m.consolidated_id, m.position")
    n = len(_COPIED) + 1
    return [(r[0], Mention(r[n], r[n + 1], r[n + 2], r[n + 3], r[n + 4], r[n + 5], r[n + 6], bool(r[n + 7]),
                           *r[n + 8:]), r[1:n]) for r in conn.execute(sql, key)]


def _row(g: Group) -> tuple[object, ...]:
    b = g.bucket
    return (g.id, b.family, b.side_a, b.side_b, b.period, g.type, g.mode, g.modality, g.side_a, g.side_b,
            int(g.mutual), g.date_value, g.date_precision, g.place, g.place_country, g.quad_class, g.goldstein,
            len(g.members), g.article_count, g.best.event_id)


def _insert(conn: sqlite3.Connection, groups: list[Group], first_seen: dict[str, str],
            evidence: dict[str, tuple[object, ...]]) -> None:
    """Write `groups` and their memberships; a member regrouped keeps the `evidence` copied with it before, a new
    one has it copied from its event, sentence and article."""
    conn.executemany(
        f"INSERT INTO consolidated({', '.join(_COLUMNS)}, first_seen) VALUES ({', '.join('?' * len(_COLUMNS))},"
        " coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
        [(*_row(g), first_seen.get(g.id)) for g in groups])
    placed = [(g.id, n, m) for g in groups for n, m in enumerate(g.members)]
    conn.executemany(f"INSERT INTO consolidated_mentions(consolidated_id, position, event_id, article_id,"
                     f" {', '.join(_COPIED)}) VALUES ({', '.join('?' * (4 + len(_COPIED)))})",
                     [(gid, n, m.event_id, m.article_id, *evidence[m.event_id]) for gid, n, m in placed
                      if m.event_id in evidence])
    new = [(gid, n, m.event_id) for gid, n, m in placed if m.event_id not in evidence]
    written = conn.executemany(_INSERT_MEMBER, new).rowcount
    if written != len(new):
        raise StoreError(f"E406 {len(new) - written} of {len(new)} grouped mentions have no event, sentence "
                         "or article row; the store is inconsistent (`communique analyze --redo` rebuilds it)")


# A membership with its evidence copied beside it (schema 10), read from the mention's event, sentence and article.
_INSERT_MEMBER = ("INSERT INTO consolidated_mentions(consolidated_id, position, event_id, article_id, sentence,"
                  " evidence_start, evidence_end, evidence, published, source)"
                  " SELECT ?, ?, e.id, e.article_id, e.sentence, s.start, s.end,"
                  " substr(a.text, s.start + 1, s.end - s.start), a.published, a.source"
                  " FROM events e JOIN articles a ON a.id = e.article_id"
                  " JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence WHERE e.id = ?")
