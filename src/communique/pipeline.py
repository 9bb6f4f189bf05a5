"""Orchestration only: inputs -> readers -> dedupe -> sentences -> store, with accounting."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

from communique.about import CODER
from communique.analysis import Consolidator
from communique.ingest import STDIN, discover, make_context, read_path, read_stdin
from communique.ingest.base import Item, ReadContext
from communique.ingest.dedupe import Deduper
from communique.nlp.sentences import SentenceSplitter
from communique.records import Article, ParsedLayer, Reject, Skipped
from communique.report import AnalyzeSummary, IngestSummary, Observer
from communique.settings import Settings
from communique.store import connect
from communique.store.writer import NearDuplicate, Writer

LOGGER = logging.getLogger(__name__)


class Ingestor:
    """Holds what a run loads once (sentence splitter, fingerprinting, reader context)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ctx: ReadContext = make_context(settings.ingest)
        self.deduper = Deduper(settings.dedupe)
        self.splitter = SentenceSplitter()

    def _near(self, writer: Writer, signature: bytes, buckets: tuple[int, ...]) -> NearDuplicate | None:
        best: NearDuplicate | None = None
        for other_id, other_sig, first_copy in writer.candidates(buckets):
            score = self.deduper.similarity(signature, other_sig)
            if score >= self.settings.dedupe.threshold and (best is None or score > best.similarity):
                best = NearDuplicate(first_copy or other_id, round(score, 4))
        return best

    def store(self, writer: Writer, article: Article, summary: IngestSummary) -> None:
        """Store one article unless its body is already stored; link near-duplicates."""
        summary.read += 1
        if writer.has_article(article.id):
            summary.duplicates += 1
            writer.add_origin(article.id, article)
            return
        fp = self.deduper.fingerprint(article.text)
        near = self._near(writer, fp.signature, fp.buckets) if fp else None
        writer.add_article(article, self.splitter.split(article.text), fp.signature if fp else None,
                           fp.buckets if fp else (), near)
        summary.stored += 1
        summary.near_duplicates += near is not None

    def consume(self, writer: Writer, items: Iterable[Item], summary: IngestSummary,
                observer: Observer) -> int:
        """Store the items of one input; returns how many failed."""
        failures = 0
        for item in items:
            if isinstance(item, Reject):
                failures += 1
                summary.failed += 1
                summary.rejects.append(item)
                writer.add_reject(item)
                observer.rejected(item)
            elif isinstance(item, Skipped):
                summary.skipped += 1
            else:
                for message in item.warnings:
                    summary.warnings.append((item.origin, message))
                    observer.warned(item.origin, message)
                self.store(writer, item, summary)
        return failures


def _inputs(targets: list[str], settings: Settings) -> Iterator[Path | Reject | str]:
    for target in targets:
        if target == STDIN:
            yield STDIN
        else:
            yield from discover([target], settings.ingest)


def ingest(targets: list[str], settings: Settings, observer: Observer | None = None,
           conn: sqlite3.Connection | None = None) -> IngestSummary:
    """Read `targets` (files, directories, globs, or "-" for JSONL on stdin) into the store.

    Committed work survives a crash or a kill; a rerun skips files already read in
    full and stores only what is new.
    """
    observer = observer or Observer()
    own = conn is None
    conn = conn or connect(settings.store.path)
    ingestor = Ingestor(settings)
    summary = IngestSummary()
    inputs = list(_inputs(targets, settings))
    observer.start(sum(1 for i in inputs if not isinstance(i, Reject)))
    try:
        with Writer(conn, "ingest " + " ".join(targets), settings.store.batch_size) as writer:
            for source in inputs:
                _ingest_one(source, ingestor, writer, summary, observer)
            writer.finish(summary.counts())
    finally:
        if own:
            conn.close()
    return summary


def _ingest_one(source: Path | Reject | str, ingestor: Ingestor, writer: Writer, summary: IngestSummary,
                observer: Observer) -> None:
    if isinstance(source, Reject):
        ingestor.consume(writer, [source], summary, observer)
        return
    summary.files += 1
    if isinstance(source, str):  # STDIN
        ingestor.consume(writer, read_stdin(ingestor.ctx), summary, observer)
    elif writer.file_unchanged(source):
        summary.unchanged_files += 1
    else:
        stored_before = summary.read
        if ingestor.consume(writer, read_path(source, ingestor.ctx), summary, observer) == 0:
            writer.mark_file(source, summary.read - stored_before)
    observer.file_done(str(source), summary)


def _pending(conn: sqlite3.Connection, coder: str, redo: bool) -> list[str]:
    """Ids of first copies (near-duplicates are skipped) not yet analysed by this coder."""
    sql = ("SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
           " WHERE a.near_duplicate_of IS NULL")
    if not redo:
        sql += " AND (n.article_id IS NULL OR n.coder != ?)"
    return [r[0] for r in conn.execute(sql + " ORDER BY a.seq", () if redo else (coder,))]


def _batches(conn: sqlite3.Connection, ids: list[str], size: int) -> Iterator[list[tuple[str, str, str | None]]]:
    for i in range(0, len(ids), size):
        chunk = ids[i:i + size]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT id, text, published FROM articles WHERE id IN ({marks})", chunk).fetchall()
        order = {article_id: n for n, article_id in enumerate(chunk)}
        yield sorted(((r[0], r[1], r[2]) for r in rows), key=lambda r: order[r[0]])


def backfill(conn: sqlite3.Connection, consolidator: Consolidator) -> None:
    """Group loose mentions (schema 4, or a killed run) and rebuild dirty buckets, in one transaction."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        consolidator.backfill(conn)


class Analyzer:
    """What analysis loads once per process: the spaCy pipeline, the actor KB with its resolver, the event coder.

    Nothing loads at import time; build one per process (a Dask worker builds it in a `WorkerPlugin`).
    """

    def __init__(self, settings: Settings) -> None:
        from communique.extract.actors import ActorResolver
        from communique.extract.events import EventCoder
        from communique.kb import ActorKB
        from communique.nlp import load_pipeline, model_label

        self.settings = settings
        self.nlp = load_pipeline(settings.nlp.model, disable=settings.nlp.disable)
        self.model = model_label(self.nlp)
        kb = ActorKB.load([Path(p) for p in settings.nlp.actor_files])
        self.resolver = ActorResolver(self.nlp, kb)
        self.coder = EventCoder.load(kb, [Path(p) for p in settings.nlp.trigger_files])

    def layers(self, conn: sqlite3.Connection, batch: list[tuple[str, str, str | None]]) -> Iterator[ParsedLayer]:
        """The parsed layers of stored articles given as (id, text, published), in order."""
        from communique.extract import ExtractionContext, extract_all
        from communique.extract.claims import extract_claims
        from communique.extract.statements import extract_statements
        from communique.nlp import parse
        from communique.store.queries import sentences

        spans = [sentences(conn, article_id) for article_id, _, _ in batch]
        docs = parse(self.nlp, [(text, s) for (_, text, _), s in zip(batch, spans, strict=True)],
                     self.settings.nlp.parse_batch)
        for (article_id, _, published), sents, doc in zip(batch, spans, docs, strict=True):
            day = dt.date.fromisoformat(published) if published else None
            yield extract_all(article_id, doc, ExtractionContext(day, sents), self.resolver,
                              statements=extract_statements, events=self.coder, claims=extract_claims)


def analyze(settings: Settings, progress: Callable[[int, int], None] | None = None, redo: bool = False,
            conn: sqlite3.Connection | None = None, analyzer: Analyzer | None = None,
            skip: Collection[str] = (), consolidate: bool = True) -> AnalyzeSummary:
    """Give every stored first copy not yet analysed by this coder its parsed layer.

    Each article's layer replaces the old one atomically, together with the consolidated
    events its mentions belong to (docs/analysis.md); work commits every `nlp.batch_size`
    articles, so a killed run resumes where it stopped. `analyzer` is the loaded pipeline
    to reuse (one is loaded when None and there is work). Articles whose ids are in `skip`
    are left alone: a batch shard passes the copies of articles that other shards hold.
    Without `consolidate`, the consolidated level is not touched: a batch shard's store is
    thrown away once its records are written, and `load` consolidates them in the real store.
    """
    own = conn is None
    conn = conn or connect(settings.store.path)
    summary = AnalyzeSummary()
    try:
        consolidator = Consolidator(every=settings.nlp.consolidate_every) if consolidate else None
        if consolidator is not None:
            backfill(conn, consolidator)
        skipped = set(skip)
        ids = [i for i in _pending(conn, CODER, redo) if i not in skipped]
        if progress:
            progress(0, len(ids))
        if not ids:
            return summary
        analyzer = analyzer or Analyzer(settings)
        summary.model = analyzer.model
        with Writer(conn, "analyze", settings.nlp.batch_size) as writer:
            for batch in _batches(conn, ids, settings.nlp.batch_size):
                for layer in analyzer.layers(conn, batch):
                    writer.replace_layer(layer, CODER, summary.model, hook=consolidator)
                    summary.add(layer)
                if progress:
                    progress(len(batch), len(ids))
            writer.finish(summary.counts())
    finally:
        if own:
            conn.close()
    return summary
