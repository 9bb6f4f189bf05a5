"""Forward migrations of existing databases, and the full-text index kept per batch."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from communique.ingest.dedupe import Deduper
from communique.pipeline import ingest
from communique.records import Claim, ClaimKind, ClaimPeriod, Evidence, Modality, ParsedLayer, Participant, PloverType
from communique.report import IngestSummary, Observer
from communique.store import connect, queries
from communique.store.migrations import LATEST, MIGRATIONS, current_version
from communique.store.writer import Writer
from tests.stories import edited, story

V2_ARTICLE = ("INSERT INTO articles(id, hash, origin, title, text, run_id) VALUES (?, ?, ?, ?, ?, NULL)")


def _migrated_to(version: int, path: Path) -> sqlite3.Connection:
    """A new database at `path` with the migrations up to `version` applied, as that release left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    current_version(conn)
    for step in (m for m in MIGRATIONS if m.version <= version):
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            step.apply(conn)
            conn.execute("INSERT INTO schema_version(version, name) VALUES (?, ?)", (step.version, step.name))
    return conn


def _v2_database(path: Path, texts: dict[str, str], deduper: Deduper) -> None:
    """A database at schema version 2 holding `texts` (title -> body) as the version-2 writer left them."""
    conn = _migrated_to(2, path)
    with conn:
        conn.execute("BEGIN")
        for n, (title, text) in enumerate(texts.items()):
            article_id, digest = f"{n:016x}", f"{n:064x}"
            conn.execute(V2_ARTICLE, (article_id, digest, f"old-{n}.txt", title, text))
            conn.execute("INSERT INTO sentences(article_id, idx, start, end) VALUES (?, 0, 0, 5)", (article_id,))
            conn.execute("INSERT INTO article_origins(article_id, origin) VALUES (?, ?)", (article_id, f"old-{n}.txt"))
            fp = deduper.fingerprint(text)
            assert fp is not None
            conn.execute("INSERT INTO minhashes(article_id, signature) VALUES (?, ?)", (article_id, fp.signature))
            conn.executemany("INSERT INTO lsh_buckets(bucket, article_id) VALUES (?, ?)",
                             [(b, article_id) for b in fp.buckets])
    assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 2
    conn.close()


def _fts_ok(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    indexed = conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
    assert indexed == conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_migration_v2_database_upgrades_and_keeps_working(settings, write):
    long_story = story(4) + "\n\n" + story(17)
    deduper = Deduper(settings.dedupe)
    _v2_database(Path(settings.store.path), {"Fisheries talks": long_story, "Rail freight": story(8)}, deduper)

    conn = connect(settings.store.path)
    assert current_version(conn) == LATEST
    assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'articles_fts_insert'").fetchone()[0] == 0
    carried = conn.execute("SELECT a.id, m.signature FROM minhashes m JOIN articles a ON a.seq = m.article_seq"
                           " ORDER BY a.seq").fetchall()
    fingerprints = [deduper.fingerprint(t) for t in (long_story, story(8))]
    assert [(r[0], r[1]) for r in carried] == [(f"{n:016x}", fp.signature) for n, fp in enumerate(fingerprints) if fp]
    assert conn.execute("SELECT count(*) FROM lsh_buckets").fetchone()[0] == 2 * deduper.bands
    assert [h.title for h in queries.search(conn, "fisheries")] == ["Fisheries talks"]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()

    # The migrated fingerprints still find near-duplicates; new articles are searchable too.
    write("new.jsonl", [{"id": "n1", "title": "Fisheries again", "text": edited(long_story)},
                        {"id": "n2", "title": "Solar", "text": story(30) + "\n\nA Marsaxlokk solar park opened."}])
    summary = ingest([str(Path(settings.store.path).parent / "in")], settings)
    assert (summary.stored, summary.near_duplicates) == (2, 1)
    conn = connect(settings.store.path)
    linked = conn.execute("SELECT near_duplicate_of FROM articles WHERE title = 'Fisheries again'").fetchone()[0]
    assert linked == f"{0:016x}"
    assert [h.title for h in queries.search(conn, "marsaxlokk")] == ["Solar"]
    _fts_ok(conn)
    conn.close()


class _StopAfter(Observer):
    """Raises KeyboardInterrupt once `files` input files are done, as Ctrl-C would."""

    def __init__(self, files: int) -> None:
        super().__init__()
        self.files = files

    def file_done(self, path: str, summary: IngestSummary) -> None:
        self.files -= 1
        if self.files == 0:
            raise KeyboardInterrupt


def test_migration_fts_follows_batches_through_an_interrupted_run(tmp_path, write):
    from communique.settings import load_settings

    config = tmp_path / "small.toml"
    config.write_text("[store]\nbatch_size = 3\n")
    settings = load_settings(config, env={}).with_db(tmp_path / "store.db")
    for f in range(4):
        write(f"part-{f}.jsonl", [{"id": f"{f}-{i}", "title": f"Part {f} item {i}", "text": story(f * 10 + i)}
                                  for i in range(5)])
    with pytest.raises(KeyboardInterrupt):
        ingest([str(tmp_path / "in")], settings, observer=_StopAfter(2))
    conn = connect(settings.store.path)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 10
    _fts_ok(conn)
    assert len(queries.search(conn, "part", limit=100)) == 10
    conn.close()

    summary = ingest([str(tmp_path / "in")], settings)
    assert (summary.stored, summary.unchanged_files) == (10, 2)
    conn = connect(settings.store.path)
    _fts_ok(conn)
    assert len(queries.search(conn, "part", limit=100)) == 20
    conn.close()


_BODY = "Ms Okafor landed in Accra on Tuesday. It was her third visit to Ghana this year."


def _claim(article_id: str, kind: str = "ordinal") -> Claim:
    start = _BODY.index("her third")
    end = _BODY.index(" this year") + len(" this year")
    return Claim(claim_id="c" * 16, article_id=article_id, sentence=1, start=start, end=end, text=_BODY[start:end],
                 kind=ClaimKind(kind), number=3, qualifier="exact", noun="visit", event_type=PloverType.CONSULT,
                 mode="visit", subject=Participant("her", start, start + 3, None, "NGA"),
                 counterpart=Participant("Ghana", start + 20, start + 25, None, "GHA"), mutual=False,
                 period=ClaimPeriod("2024", "2024", "this year"), series=None, event_id=None, date="2024-05-07",
                 modality=Modality.ASSERTED, evidence=Evidence(1, 38, len(_BODY), "third", start + 4, start + 9),
                 coder="test")


def _v5_database(path: Path) -> None:
    """A database at schema version 5 with one analysed article, as the version-5 writer left it."""
    conn = _migrated_to(5, path)
    with conn:
        conn.execute("BEGIN")
        conn.execute(V2_ARTICLE.replace("run_id)", "run_id, published)").replace("NULL)", "NULL, '2024-05-08')"),
                     ("a" * 16, "0" * 64, "old.txt", "Accra", _BODY))
        conn.execute("INSERT INTO articles_fts(rowid, title, text) SELECT seq, title, text FROM articles")
        conn.execute("INSERT INTO analyses(article_id, coder, model) VALUES (?, 'old', 'none')", ("a" * 16,))
    conn.close()


def test_migration_v6_adds_claims_that_go_with_their_layer_and_article(tmp_path):
    path = tmp_path / "store.db"
    _v5_database(path)
    conn = connect(path)
    assert current_version(conn) == LATEST >= 6
    assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0  # old layers gain claims on --redo
    with Writer(conn, "analyze", 10) as writer:
        writer.replace_layer(ParsedLayer("a" * 16, claims=(_claim("a" * 16),)), "test", "none")
        writer.replace_layer(ParsedLayer("a" * 16, claims=(_claim("a" * 16),)), "test", "none")  # redo replaces
    rows = conn.execute("SELECT kind, number, subject_country, counterpart_country, period_begin, period_end, text,"
                        " record FROM claims").fetchall()
    assert [tuple(r)[:7] for r in rows] == [("ordinal", 3, "NGA", "GHA", "2024", "2024",
                                             "her third visit to Ghana this year")]
    assert Claim.from_dict(json.loads(rows[0]["record"])) == _claim("a" * 16)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE claims SET kind = 'guess'")
    with pytest.raises(sqlite3.IntegrityError):  # a claim needs an analysed article
        conn.execute("INSERT INTO claims SELECT 'd' || substr(id, 2), 'b' || substr(article_id, 2), sentence, start,"
                     " end, text, kind, number, qualifier, noun, event_type, mode, subject_actor, subject_country,"
                     " subject_text, counterpart_actor, counterpart_country, counterpart_text, mutual, period_begin,"
                     " period_end, period_text, series, event_id, date_value, modality, record, coder FROM claims")
    conn.execute("DELETE FROM articles WHERE id = ?", ("a" * 16,))
    assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


@pytest.mark.issue(7)
def test_migration_v10_copies_each_members_evidence_as_the_writer_does(tmp_path, add_mentions):
    from communique.analysis import Consolidator

    path = tmp_path / "store.db"
    conn = connect(path)
    with conn:
        conn.execute("BEGIN")
        first = add_mentions(conn, "first", [{"id": "m1"}, {"id": "m2", "type": "AGREE"}])
        add_mentions(conn, "second", [{"id": "m3"}, {"id": "m4", "source": "NOR", "target": "ISL"}])
        conn.execute("UPDATE articles SET source = 'Andes Post' WHERE id = ?", (first,))
        Consolidator().backfill(conn)
    written = conn.execute("SELECT * FROM consolidated_mentions ORDER BY event_id").fetchall()
    # The writer copied each mention's sentence as the article holds it.
    for row in written:
        text, published, source = conn.execute("SELECT text, published, source FROM articles WHERE id = ?",
                                               (row["article_id"],)).fetchone()
        start, end = conn.execute("SELECT start, end FROM sentences WHERE article_id = ? AND idx = ?",
                                  (row["article_id"], row["sentence"])).fetchone()
        assert (row["evidence_start"], row["evidence_end"], row["evidence"]) == (start, end, text[start:end])
        assert (row["published"], row["source"]) == (published, source)
    assert [r["event_id"] for r in written] == ["m1", "m2", "m3", "m4"]
    assert written[0]["evidence"] == "Sentence 0 o" and written[0]["source"] == "Andes Post"

    # Put the memberships back in their schema-9 shape, as a store of that release holds them.
    with conn:
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE old_members (consolidated_id TEXT NOT NULL REFERENCES consolidated(id)"
                     " ON DELETE CASCADE, event_id TEXT NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,"
                     " article_id TEXT NOT NULL, position INTEGER NOT NULL CHECK (position >= 0),"
                     " PRIMARY KEY (consolidated_id, event_id)) WITHOUT ROWID")
        conn.execute("INSERT INTO old_members SELECT consolidated_id, event_id, article_id, position"
                     " FROM consolidated_mentions")
        conn.execute("DROP TABLE consolidated_mentions")
        conn.execute("ALTER TABLE old_members RENAME TO consolidated_mentions")
        conn.execute("DELETE FROM schema_version WHERE version >= 10")
    conn.close()
    conn = connect(path)  # migrates
    assert current_version(conn) == LATEST
    assert [tuple(r) for r in conn.execute("SELECT * FROM consolidated_mentions ORDER BY event_id")] == \
        [tuple(r) for r in written]
    assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'consolidated_mentions_article'").fetchone()[0]
    conn.execute("DELETE FROM events WHERE id = 'm3'")  # a membership still goes with its event
    assert conn.execute("SELECT count(*) FROM consolidated_mentions WHERE event_id = 'm3'").fetchone()[0] == 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_consolidation_refuses_a_mention_whose_sentence_is_missing(tmp_path, add_mentions):
    from communique.analysis import Consolidator
    from communique.errors import StoreError

    conn = connect(tmp_path / "store.db")
    with conn:
        conn.execute("BEGIN")
        article = add_mentions(conn, "gap", [{"id": "m1"}])
        conn.execute("DELETE FROM sentences WHERE article_id = ?", (article,))
    with pytest.raises(StoreError, match="E406 1 of 1 grouped mentions"):
        with conn:
            conn.execute("BEGIN")
            Consolidator().backfill(conn)
    assert conn.execute("SELECT count(*) FROM consolidated").fetchone()[0] == 0  # rolled back, nothing half-written
    conn.close()
