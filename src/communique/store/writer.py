"""The single writer: batched transactions keyed by content hash, resumable after a kill."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from communique.records import Article, ParsedLayer, Reject, Sentence

# New articles enter the full-text index in one statement per batch, just before it commits: every
# article past the index's high-water mark (its docsize shadow table has a row per indexed rowid).
# Re-running it indexes nothing twice, so an interrupted commit can simply be retried.
_INDEX_NEW_ARTICLES = ("INSERT INTO articles_fts(rowid, title, text) SELECT seq, title, text FROM articles"
                       " WHERE seq > (SELECT coalesce(max(id), 0) FROM articles_fts_docsize) ORDER BY seq")


class LayerHook(Protocol):
    """Work that must commit together with an article's layer (consolidation, docs/analysis.md)."""

    def before(self, conn: sqlite3.Connection, article_id: str) -> None:
        """Called before the article's old layer is deleted."""

    def after(self, conn: sqlite3.Connection, article_id: str) -> None:
        """Called once the article's new layer is written, in the same transaction."""

    def flush(self, conn: sqlite3.Connection, final: bool) -> None:
        """Called once per batch, just before it commits: batch-wide work over the articles seen.

        `final` is set on the last commit of the writer."""


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """The first copy an article nearly duplicates, with the estimated similarity."""

    article_id: str
    similarity: float


class Writer:
    """Writes one run's articles and rejects; commits every `batch_size` articles.

    Use as a context manager: leaving it commits what is pending and closes the run
    as done, or as interrupted/failed when an exception is on its way out. The articles
    of a batch enter the full-text index when the batch commits.
    """

    def __init__(self, conn: sqlite3.Connection, command: str, batch_size: int) -> None:
        self.conn = conn
        self.batch_size = batch_size
        self.pending = 0
        self.unindexed = False
        self.hooks: list[LayerHook] = []
        self.run_id = conn.execute("INSERT INTO runs(command) VALUES (?)", (command,)).lastrowid

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        status = "done" if kind is None else "interrupted" if issubclass(kind, KeyboardInterrupt) else "failed"
        self.commit(final=True)
        self.conn.execute("UPDATE runs SET status = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                          "WHERE id = ?", (status, self.run_id))

    def _begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self, final: bool = False) -> None:
        """Commit the open batch, if any; `final` when the writer closes."""
        if self.conn.in_transaction:
            for hook in self.hooks:
                hook.flush(self.conn, final)
            if self.unindexed:
                self.conn.execute(_INDEX_NEW_ARTICLES)
                self.unindexed = False
            self.conn.execute("COMMIT")
        self.pending = 0

    def _tick(self) -> None:
        self.pending += 1
        if self.pending >= self.batch_size:
            self.commit()

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def add_article(self, article: Article, sentences: tuple[Sentence, ...], signature: bytes | None,
                    buckets: tuple[int, ...], near: NearDuplicate | None) -> None:
        """Insert a new article with its sentences, fingerprint and origin."""
        self._begin()
        seq = self.conn.execute(
            "INSERT INTO articles(id, hash, origin, url, title, byline, source, published, text, boilerplate,"
            " metadata, warnings, near_duplicate_of, similarity, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.hash, article.origin, article.url, article.title, article.byline,
             article.source, article.published.isoformat() if article.published else None, article.text,
             json.dumps([b.as_dict() for b in article.boilerplate], ensure_ascii=False),
             json.dumps(article.metadata, ensure_ascii=False, default=str),
             json.dumps(list(article.warnings), ensure_ascii=False),
             near.article_id if near else None, near.similarity if near else None, self.run_id)).lastrowid
        self.unindexed = True
        self.conn.executemany("INSERT INTO sentences(article_id, idx, start, end) VALUES (?, ?, ?, ?)",
                              [(article.id, s.index, s.start, s.end) for s in sentences])
        if signature is not None:
            self.conn.execute("INSERT INTO minhashes(article_seq, signature) VALUES (?, ?)", (seq, signature))
            self.conn.executemany("INSERT OR IGNORE INTO lsh_buckets(bucket, article_seq) VALUES (?, ?)",
                                  [(b, seq) for b in buckets])
        self._add_origin(article.id, article)
        self._tick()

    def add_origin(self, article_id: str, article: Article) -> None:
        """Record that an exact duplicate of a stored article was seen at `article.origin`."""
        self._begin()
        self._add_origin(article_id, article)

    def _add_origin(self, article_id: str, article: Article) -> None:
        self.conn.execute("INSERT OR IGNORE INTO article_origins(article_id, origin, url, run_id) VALUES (?, ?, ?, ?)",
                          (article_id, article.origin, article.url, self.run_id))

    def candidates(self, buckets: tuple[int, ...]) -> list[tuple[str, bytes, str | None]]:
        """Stored articles sharing an LSH bucket: id, signature, and the first copy they link to."""
        if not buckets:
            return []
        marks = ",".join("?" * len(buckets))
        return self.conn.execute(
            f"SELECT a.id, m.signature, a.near_duplicate_of FROM minhashes m JOIN articles a ON a.seq = m.article_seq"
            f" WHERE m.article_seq IN (SELECT article_seq FROM lsh_buckets WHERE bucket IN ({marks}))"
            f" ORDER BY m.article_seq",
            buckets).fetchall()

    def replace_layer(self, layer: ParsedLayer, coder: str, model: str, hook: LayerHook | None = None) -> None:
        """Replace an article's parsed layer atomically (the old rows go with their analysis row).

        `hook` runs before the old layer goes and after the new one is written, inside the same
        transaction, so that what it derives from the layer commits (or not) together with it. The
        article's writes sit in a savepoint: when anything fails half-way (Ctrl-C included), they are
        undone before `__exit__` commits the batch, and the article keeps its old layer and groups.
        """
        self._begin()
        if hook is not None and hook not in self.hooks:
            self.hooks.append(hook)
        self.conn.execute("SAVEPOINT layer")
        try:
            self._write_layer(layer, coder, model, hook)
        except BaseException:
            self.conn.execute("ROLLBACK TO layer")
            self.conn.execute("RELEASE layer")
            raise
        self.conn.execute("RELEASE layer")
        self._tick()

    def _write_layer(self, layer: ParsedLayer, coder: str, model: str, hook: LayerHook | None) -> None:
        if hook is not None:
            hook.before(self.conn, layer.article_id)
        self.conn.execute("DELETE FROM analyses WHERE article_id = ?", (layer.article_id,))
        self.conn.execute("INSERT INTO analyses(article_id, coder, model, run_id) VALUES (?, ?, ?, ?)",
                          (layer.article_id, coder, model, self.run_id))
        self.conn.executemany(
            "INSERT INTO mentions(article_id, sentence, start, end, text, actor_id, name, kind, country, sector,"
            " title, via, refers_to, coder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(layer.article_id, i, m.start, m.end, m.text, m.actor_id, m.name, m.kind and str(m.kind), m.country,
              m.sector, m.title, m.via, json.dumps(list(m.refers_to)), coder) for i, m in layer.mentions])
        self.conn.executemany(
            "INSERT INTO time_expressions(article_id, sentence, start, end, text, type, value, precision, mod,"
            " begin, finish, coder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(layer.article_id, i, t.start, t.end, t.text, str(t.type), t.value, t.precision and str(t.precision),
              t.mod, t.begin, t.finish, coder) for i, t in layer.times])
        self.conn.executemany(
            "INSERT INTO figures(article_id, sentence, start, end, text, value, unit, kind, qualifier, change,"
            " measure, period, coder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(layer.article_id, i, f.start, f.end, f.text, f.value, f.unit, str(f.kind), f.qualifier, f.change,
              f.measure, f.period, coder) for i, f in layer.figures])
        self._add_statements(layer)
        self._add_events(layer)
        self._add_claims(layer)
        if hook is not None:
            hook.after(self.conn, layer.article_id)

    def _add_statements(self, layer: ParsedLayer) -> None:
        rows = []
        for s in layer.statements:
            p = s.speaker
            rows.append((s.statement_id, s.article_id, s.sentence, p and p.actor_id, p and p.country, p and p.sector,
                         p and p.name, s.speaker_text, p and p.start, p and p.end, s.cue, s.cue_start, s.cue_end,
                         s.content, s.content_start, s.content_end, int(s.direct), s.coder))
        self.conn.executemany(
            "INSERT INTO statements(id, article_id, sentence, speaker_actor, speaker_country,"
            " speaker_sector, speaker_name, speaker_text, speaker_start, speaker_end, cue, cue_start, cue_end,"
            " content, content_start, content_end, direct, coder) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _add_events(self, layer: ParsedLayer) -> None:
        rows, actors, evidence = [], [], []
        for e in layer.events:
            src, tgt, day, place, spk = e.source, e.target, e.date, e.location, e.speaker
            rows.append((e.event_id, e.article_id, e.sentence, str(e.type), e.mode, e.cameo, e.quad_class,
                         e.goldstein, src and src.actor_id, src and src.country, src and src.sector, src and src.text,
                         tgt and tgt.actor_id, tgt and tgt.country, tgt and tgt.sector, tgt and tgt.text,
                         int(e.mutual), day and day.value, day and day.precision and str(day.precision),
                         day and day.text, day and str(day.basis), place and place.text, place and place.country,
                         str(e.modality), int(e.reported), spk and spk.actor_id, spk and spk.country,
                         e.confidence, e.rule, json.dumps(e.as_dict(), ensure_ascii=False), e.coder))
            for role, people in (("source", [src]), ("target", [tgt]), ("other", list(e.others))):
                actors += [(e.event_id, role, n, p.actor_id, p.country) for n, p in enumerate(people) if p]
            evidence += [(e.event_id, n, x.sentence, x.start, x.end, x.trigger, x.trigger_start, x.trigger_end)
                         for n, x in enumerate(e.evidence)]
        self.conn.executemany(
            "INSERT INTO events(id, article_id, sentence, type, mode, cameo, quad_class, goldstein, source_actor,"
            " source_country, source_sector, source_text, target_actor, target_country, target_sector, target_text,"
            " mutual, date_value, date_precision, date_text, date_basis, place, place_country, modality, reported,"
            " speaker_actor, speaker_country, confidence, rule, record, coder) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.conn.executemany("INSERT INTO event_actors(event_id, role, position, actor_id, country)"
                              " VALUES (?, ?, ?, ?, ?)", actors)
        self.conn.executemany(
            "INSERT INTO event_evidence(event_id, position, sentence, start, end, trigger, trigger_start,"
            " trigger_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", evidence)

    def _add_claims(self, layer: ParsedLayer) -> None:
        rows = []
        for c in layer.claims:
            sub, cp, per = c.subject, c.counterpart, c.period
            rows.append((c.claim_id, c.article_id, c.sentence, c.start, c.end, c.text, str(c.kind), c.number,
                         c.qualifier, c.noun, str(c.event_type), c.mode, sub and sub.actor_id, sub and sub.country,
                         sub and sub.text, cp and cp.actor_id, cp and cp.country, cp and cp.text, int(c.mutual),
                         per and per.begin, per and per.end, per and per.text, c.series, c.event_id, c.date,
                         str(c.modality), json.dumps(c.as_dict(), ensure_ascii=False), c.coder))
        self.conn.executemany(
            "INSERT INTO claims(id, article_id, sentence, start, end, text, kind, number, qualifier, noun, event_type,"
            " mode, subject_actor, subject_country, subject_text, counterpart_actor, counterpart_country,"
            " counterpart_text, mutual, period_begin, period_end, period_text, series, event_id, date_value,"
            " modality, record, coder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?)", rows)

    def add_reject(self, reject: Reject) -> None:
        self._begin()
        self.conn.execute("INSERT INTO rejects(run_id, origin, line, code, reason) VALUES (?, ?, ?, ?, ?)",
                          (self.run_id, reject.origin, reject.line, reject.code, reject.reason))

    def file_unchanged(self, path: Path) -> bool:
        """True when `path` was read completely before and has not changed since."""
        try:
            stat = path.stat()
        except OSError:
            return False
        row = self.conn.execute("SELECT size, mtime_ns FROM input_files WHERE path = ?",
                                (os.path.abspath(path),)).fetchone()
        return row is not None and tuple(row) == (stat.st_size, stat.st_mtime_ns)

    def mark_file(self, path: Path, articles: int) -> None:
        """Remember that `path` was read to its end without failure (committed with its articles)."""
        stat = path.stat()
        self._begin()
        self.conn.execute("INSERT OR REPLACE INTO input_files(path, size, mtime_ns, articles, run_id)"
                          " VALUES (?, ?, ?, ?, ?)",
                          (os.path.abspath(path), stat.st_size, stat.st_mtime_ns, articles, self.run_id))

    def finish(self, counts: dict[str, int]) -> None:
        """Store the run's counts."""
        self._begin()
        self.conn.execute("UPDATE runs SET counts = ? WHERE id = ?", (json.dumps(counts), self.run_id))
