"""DDL of each schema version, as data. Migrations apply them in order."""

from __future__ import annotations

V1_ARTICLES = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'done', 'interrupted', 'failed')),
    counts TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts))
);

CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE CHECK (length(id) = 16),
    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
    origin TEXT NOT NULL,
    url TEXT,
    title TEXT,
    byline TEXT,
    source TEXT,
    published TEXT CHECK (published IS NULL OR published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    text TEXT NOT NULL CHECK (length(text) > 0),
    boilerplate TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(boilerplate)),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings)),
    near_duplicate_of TEXT REFERENCES articles(id),
    similarity REAL CHECK (similarity IS NULL OR (similarity >= 0 AND similarity <= 1)),
    run_id INTEGER REFERENCES runs(id),
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((near_duplicate_of IS NULL) = (similarity IS NULL))
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_near_duplicate_of ON articles(near_duplicate_of);

CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL CHECK (idx >= 0),
    start INTEGER NOT NULL CHECK (start >= 0),
    end INTEGER NOT NULL,
    CHECK (end > start),
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

-- Every place an article was seen: the first copy and exact duplicates found later.
CREATE TABLE article_origins (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    url TEXT,
    run_id INTEGER REFERENCES runs(id),
    PRIMARY KEY (article_id, origin)
) WITHOUT ROWID;

-- MinHash signatures and their LSH band buckets, for near-duplicate look-ups.
CREATE TABLE minhashes (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE lsh_buckets (
    bucket INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (bucket, article_id)
) WITHOUT ROWID;

CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    origin TEXT NOT NULL,
    line INTEGER,
    code TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX rejects_run ON rejects(run_id);

-- Files read to the end without a failure; an unchanged one is not read again.
CREATE TABLE input_files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs(id)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
"""

V2_PARSED_LAYER = """
-- One row per article analysed: which coder and model produced its parsed layer.
CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    coder TEXT NOT NULL,
    model TEXT NOT NULL,
    analyzed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    run_id INTEGER REFERENCES runs(id)
) WITHOUT ROWID;
CREATE INDEX analyses_coder ON analyses(coder);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES analyses(article_id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL CHECK (sentence >= 0),
    start INTEGER NOT NULL CHECK (start >= 0),
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    actor_id TEXT,
    name TEXT NOT NULL,
    kind TEXT CHECK (kind IS NULL OR kind IN ('country', 'person', 'organization', 'igo')),
    country TEXT,
    sector TEXT,
    title TEXT,
    via TEXT NOT NULL,
    refers_to TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(refers_to)),
    coder TEXT NOT NULL,
    CHECK (end > start)
);
CREATE INDEX mentions_article ON mentions(article_id, start);
CREATE INDEX mentions_actor ON mentions(actor_id);
CREATE INDEX mentions_country ON mentions(country);

CREATE TABLE time_expressions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES analyses(article_id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL CHECK (sentence >= 0),
    start INTEGER NOT NULL CHECK (start >= 0),
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('DATE', 'TIME', 'DURATION', 'SET')),
    value TEXT NOT NULL,
    precision TEXT,
    mod TEXT,
    begin TEXT,
    finish TEXT,
    coder TEXT NOT NULL,
    CHECK (end > start)
);
CREATE INDEX time_expressions_article ON time_expressions(article_id, start);
CREATE INDEX time_expressions_value ON time_expressions(value);

CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES analyses(article_id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL CHECK (sentence >= 0),
    start INTEGER NOT NULL CHECK (start >= 0),
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    change TEXT,
    measure TEXT,
    period TEXT,
    coder TEXT NOT NULL,
    CHECK (end > start)
);
CREATE INDEX figures_article ON figures(article_id, start);
CREATE INDEX figures_unit ON figures(unit);
"""

V3_EVENTS = """
-- Events as one article tells them (mention level), in the record of DESIGN.md. Flat columns
-- for filtering and CAMEO/PLOVER-style export; `record` keeps the whole JSON record.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES analyses(article_id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL CHECK (sentence >= 0),
    type TEXT NOT NULL CHECK (type IN ('AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT',
        'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT')),
    mode TEXT,
    cameo TEXT NOT NULL CHECK (length(cameo) BETWEEN 2 AND 4),
    quad_class INTEGER NOT NULL CHECK (quad_class BETWEEN 1 AND 4),
    goldstein REAL CHECK (goldstein IS NULL OR goldstein BETWEEN -10 AND 10),
    source_actor TEXT, source_country TEXT, source_sector TEXT, source_text TEXT,
    target_actor TEXT, target_country TEXT, target_sector TEXT, target_text TEXT,
    mutual INTEGER NOT NULL CHECK (mutual IN (0, 1)),
    date_value TEXT, date_precision TEXT, date_text TEXT,
    date_basis TEXT CHECK (date_basis IS NULL OR date_basis IN ('sentence', 'event', 'main_event', 'published')),
    place TEXT, place_country TEXT,
    modality TEXT NOT NULL CHECK (modality IN ('asserted', 'negated', 'pledged', 'hypothetical')),
    reported INTEGER NOT NULL CHECK (reported IN (0, 1)),
    speaker_actor TEXT, speaker_country TEXT,
    confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    rule TEXT NOT NULL,
    record TEXT NOT NULL CHECK (json_valid(record)),
    coder TEXT NOT NULL
);
CREATE INDEX events_article ON events(article_id, sentence);
CREATE INDEX events_date ON events(date_value);
CREATE INDEX events_type ON events(type);

-- Every actor of an event with its role: the dyad and actor filters read this table.
CREATE TABLE event_actors (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('source', 'target', 'other')),
    position INTEGER NOT NULL,
    actor_id TEXT,
    country TEXT,
    PRIMARY KEY (event_id, role, position)
) WITHOUT ROWID;
CREATE INDEX event_actors_country ON event_actors(country, event_id);
CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id);

CREATE TABLE event_evidence (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sentence INTEGER NOT NULL CHECK (sentence >= 0),
    start INTEGER NOT NULL CHECK (start >= 0),
    end INTEGER NOT NULL,
    trigger TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    PRIMARY KEY (event_id, position),
    CHECK (end > start AND trigger_end > trigger_start AND trigger_start >= start AND trigger_end <= end)
) WITHOUT ROWID;

CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES analyses(article_id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL CHECK (sentence >= 0),
    speaker_actor TEXT, speaker_country TEXT, speaker_sector TEXT, speaker_name TEXT,
    speaker_text TEXT,
    speaker_start INTEGER, speaker_end INTEGER,
    cue TEXT NOT NULL,
    cue_start INTEGER NOT NULL CHECK (cue_start >= 0),
    cue_end INTEGER NOT NULL,
    content TEXT NOT NULL,
    content_start INTEGER NOT NULL CHECK (content_start >= 0),
    content_end INTEGER NOT NULL,
    direct INTEGER NOT NULL CHECK (direct IN (0, 1)),
    coder TEXT NOT NULL,
    CHECK (cue_end > cue_start AND content_end > content_start)
);
CREATE INDEX statements_article ON statements(article_id, sentence);
CREATE INDEX statements_speaker ON statements(speaker_actor);
CREATE INDEX statements_speaker_country ON statements(speaker_country);
"""

# Version 4 makes ingest cheaper to write (see BENCHMARKS.md, "Ingest: findings"):
# - The full-text index is no longer kept by a trigger per inserted article; the writer
#   indexes each batch's new articles with one INSERT ... SELECT before it commits (FTS5
#   writes a segment per statement, so a trigger per row made one tiny segment per article).
#   Updates and deletes keep their triggers.
# - MinHash signatures and LSH buckets are keyed by the article's `seq` (ingest order), so
#   new rows append at the end of their B-trees instead of landing at random 16-hex-digit keys;
#   the 1 KiB signatures also no longer overflow the pages of a WITHOUT ROWID table.
V4_INGEST_KEYS = """
DROP TRIGGER articles_fts_insert;

CREATE TABLE minhashes_v3 (
    article_seq INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
    signature BLOB NOT NULL
);
INSERT INTO minhashes_v3(article_seq, signature)
    SELECT a.seq, m.signature FROM minhashes m JOIN articles a ON a.id = m.article_id ORDER BY a.seq;
DROP TABLE minhashes;
ALTER TABLE minhashes_v3 RENAME TO minhashes;

CREATE TABLE lsh_buckets_v3 (
    bucket INTEGER NOT NULL,
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    PRIMARY KEY (bucket, article_seq)
) WITHOUT ROWID;
INSERT INTO lsh_buckets_v3(bucket, article_seq)
    SELECT l.bucket, a.seq FROM lsh_buckets l JOIN articles a ON a.id = l.article_id;
DROP TABLE lsh_buckets;
ALTER TABLE lsh_buckets_v3 RENAME TO lsh_buckets;
"""

# Version 5 adds consolidated events: one row per real-world event, grouping the mention-level
# events (one article's telling) that report it (docs/analysis.md). Groups are kept per bucket
# (family, sorted pair of sides, year or undated article) and rebuilt bucket by bucket as
# articles are analysed. A membership goes with its mention (ON DELETE CASCADE); the updater
# then rebuilds the buckets that lost members in the same transaction.
V5_CONSOLIDATED = """
CREATE TABLE consolidated (
    id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 8 AND 40),
    family TEXT NOT NULL,
    bucket_a TEXT NOT NULL,
    bucket_b TEXT NOT NULL,
    period TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT',
        'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT')),
    mode TEXT,
    modality TEXT NOT NULL CHECK (modality IN ('asserted', 'negated', 'pledged', 'hypothetical')),
    side_a TEXT,
    side_b TEXT,
    mutual INTEGER NOT NULL CHECK (mutual IN (0, 1)),
    date_value TEXT,
    date_precision TEXT,
    place TEXT,
    place_country TEXT,
    quad_class INTEGER NOT NULL CHECK (quad_class BETWEEN 1 AND 4),
    goldstein REAL CHECK (goldstein IS NULL OR goldstein BETWEEN -10 AND 10),
    mention_count INTEGER NOT NULL CHECK (mention_count > 0),
    article_count INTEGER NOT NULL CHECK (article_count > 0 AND article_count <= mention_count),
    best_event TEXT NOT NULL,
    first_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (bucket_a <= bucket_b)
);
CREATE INDEX consolidated_bucket ON consolidated(family, bucket_a, bucket_b, period);
CREATE INDEX consolidated_side_a ON consolidated(bucket_a, date_value);
CREATE INDEX consolidated_side_b ON consolidated(bucket_b, date_value);
CREATE INDEX consolidated_date ON consolidated(date_value);

CREATE TABLE consolidated_mentions (
    consolidated_id TEXT NOT NULL REFERENCES consolidated(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (consolidated_id, event_id)
) WITHOUT ROWID;
CREATE INDEX consolidated_mentions_article ON consolidated_mentions(article_id);
"""

# Version 6 adds claims: sentences that assert a count or an order of events ("his second visit
# this year", docs/claims.md). They belong to the parsed layer, so they hang on `analyses` like
# every layer table and go with it (and with their article, which cascades to `analyses`).
# Flat columns for filtering; `record` keeps the whole JSON record. Stores analysed before
# version 6 have no claims until `communique analyze --redo`.
V6_CLAIMS = """
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES analyses(article_id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL CHECK (sentence >= 0),
    start INTEGER NOT NULL CHECK (start >= 0),
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ordinal', 'count', 'first_since')),
    number INTEGER NOT NULL CHECK (number >= 0),
    qualifier TEXT NOT NULL,
    noun TEXT NOT NULL,
    event_type TEXT NOT NULL CHECK (event_type IN ('AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID',
        'RETREAT', 'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE',
        'ASSAULT')),
    mode TEXT,
    subject_actor TEXT, subject_country TEXT, subject_text TEXT,
    counterpart_actor TEXT, counterpart_country TEXT, counterpart_text TEXT,
    mutual INTEGER NOT NULL CHECK (mutual IN (0, 1)),
    period_begin TEXT, period_end TEXT, period_text TEXT,
    series TEXT,
    event_id TEXT REFERENCES events(id) ON DELETE SET NULL,
    date_value TEXT,
    modality TEXT NOT NULL CHECK (modality IN ('asserted', 'negated', 'pledged', 'hypothetical')),
    record TEXT NOT NULL CHECK (json_valid(record)),
    coder TEXT NOT NULL,
    CHECK (end > start)
);
CREATE INDEX claims_article ON claims(article_id, sentence);
CREATE INDEX claims_event ON claims(event_id);
"""

# Version 7 serves the analysis queries at a million mentions (BENCHMARKS.md, "Analysis at scale").
# A dyad's timeline pages and its trends read the pair's own rows of `consolidated` through one
# index in (date, id) order: a page is a short range scan whatever the dyad's size, with no
# sort and no join of every member mention through event_actors.
V7_ANALYSIS_INDEXES = """
CREATE INDEX consolidated_dyad ON consolidated(bucket_a, bucket_b, date_value, id);
"""

# Version 8 lets consolidation lag the parsed layer (docs/analysis.md, "Incremental updates"):
# `analyze` rebuilds groups once per `nlp.consolidate_every` articles, and the buckets whose
# groups lose members meanwhile are listed here, in the transaction that writes the layer, so a
# run killed before the rebuild leaves them for the next run's backfill.
V8_CONSOLIDATION_DIRTY = """
CREATE TABLE consolidation_dirty (
    family TEXT NOT NULL,
    bucket_a TEXT NOT NULL,
    bucket_b TEXT NOT NULL,
    period TEXT NOT NULL,
    PRIMARY KEY (family, bucket_a, bucket_b, period)
) WITHOUT ROWID;
"""

# Version 9 keeps a monthly summary of `consolidated` for trends (docs/analysis.md, "Trends and
# partners"): per pair, modality, month and type, the counts by quad class and the Goldstein sums.
# Day and month dates are summed into their month; any other date value (a year, a quarter, a
# week) keeps a row of its own, and undated events go under ''. Triggers keep it exact in the
# transaction that changes `consolidated`, so a trend reads a few hundred rows however many
# events the pair has.
_MONTH_OF = ("CASE WHEN {d} IS NULL THEN '' WHEN {d} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'"
             " THEN substr({d}, 1, 7) ELSE {d} END")
_TALLY = ("{r}.quad_class = 1, {r}.quad_class = 2, {r}.quad_class = 3, {r}.quad_class = 4,"
          " coalesce({r}.goldstein, 0), {r}.goldstein IS NOT NULL, abs(coalesce({r}.goldstein, 0))")
_KEY = "bucket_a = {r}.bucket_a AND bucket_b = {r}.bucket_b AND modality = {r}.modality AND type = {r}.type" \
       " AND month = " + _MONTH_OF.format(d="{r}.date_value")
_SUBTRACT = ("DELETE FROM consolidated_months WHERE " + _KEY + " AND events = 1;\n"
             "    UPDATE consolidated_months SET events = events - 1, q1 = q1 - ({r}.quad_class = 1),"
             " q2 = q2 - ({r}.quad_class = 2), q3 = q3 - ({r}.quad_class = 3), q4 = q4 - ({r}.quad_class = 4),"
             " goldstein_sum = goldstein_sum - coalesce({r}.goldstein, 0),"
             " scored = scored - ({r}.goldstein IS NOT NULL),"
             " goldstein_abs = goldstein_abs - abs(coalesce({r}.goldstein, 0))"
             " WHERE " + _KEY + ";")
_ADD = ("INSERT INTO consolidated_months(bucket_a, bucket_b, modality, month, type, events, q1, q2, q3, q4,"
        " goldstein_sum, scored, goldstein_abs) VALUES ({r}.bucket_a, {r}.bucket_b, {r}.modality, "
        + _MONTH_OF.format(d="{r}.date_value") + ", {r}.type, 1, " + _TALLY + ")"
        " ON CONFLICT DO UPDATE SET events = events + 1, q1 = q1 + excluded.q1, q2 = q2 + excluded.q2,"
        " q3 = q3 + excluded.q3, q4 = q4 + excluded.q4, goldstein_sum = goldstein_sum + excluded.goldstein_sum,"
        " scored = scored + excluded.scored, goldstein_abs = goldstein_abs + excluded.goldstein_abs;")
V9_CONSOLIDATED_MONTHS = f"""
CREATE TABLE consolidated_months (
    bucket_a TEXT NOT NULL,
    bucket_b TEXT NOT NULL,
    modality TEXT NOT NULL,
    month TEXT NOT NULL,
    type TEXT NOT NULL,
    events INTEGER NOT NULL CHECK (events > 0),
    q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q3 INTEGER NOT NULL, q4 INTEGER NOT NULL,
    goldstein_sum REAL NOT NULL,
    scored INTEGER NOT NULL,
    goldstein_abs REAL NOT NULL,
    PRIMARY KEY (bucket_a, bucket_b, modality, month, type)
) WITHOUT ROWID;
-- Covering, so that a dyad read through it (the planner may pick either) needs no look-ups in the table.
CREATE INDEX consolidated_months_b ON consolidated_months(bucket_b, bucket_a, modality, month, type, events, q1, q2, q3,
    q4, goldstein_sum, scored, goldstein_abs);
INSERT INTO consolidated_months
    SELECT bucket_a, bucket_b, modality, {_MONTH_OF.format(d="date_value")} AS month, type, count(*),
           sum(quad_class = 1), sum(quad_class = 2), sum(quad_class = 3), sum(quad_class = 4),
           total(goldstein), count(goldstein), total(abs(goldstein))
    FROM consolidated GROUP BY bucket_a, bucket_b, modality, month, type;
CREATE TRIGGER consolidated_months_insert AFTER INSERT ON consolidated BEGIN
    {_ADD.format(r="new")}
END;
CREATE TRIGGER consolidated_months_delete AFTER DELETE ON consolidated BEGIN
    {_SUBTRACT.format(r="old")}
END;
CREATE TRIGGER consolidated_months_update AFTER UPDATE OF bucket_a, bucket_b, modality, date_value, type,
        quad_class, goldstein ON consolidated BEGIN
    {_SUBTRACT.format(r="old")}
    {_ADD.format(r="new")}
END;
"""

# Version 10 keeps with each membership where its evidence is, the sentence itself and its
# article's date and source: a timeline page lists every mention's evidence from the groups' own
# rows (one range read per group) instead of three random look-ups per mention in `events`,
# `sentences` and `articles`. They are copies of facts that cannot change under the row: an
# article's text and metadata are fixed by its id, and a membership goes with its event.
V10_MENTION_EVIDENCE = """
CREATE TABLE consolidated_mentions_v10 (
    consolidated_id TEXT NOT NULL REFERENCES consolidated(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    sentence INTEGER NOT NULL CHECK (sentence >= 0),
    evidence_start INTEGER NOT NULL CHECK (evidence_start >= 0),
    evidence_end INTEGER NOT NULL CHECK (evidence_end >= evidence_start),
    evidence TEXT NOT NULL,
    published TEXT,
    source TEXT,
    PRIMARY KEY (consolidated_id, event_id)
) WITHOUT ROWID;
INSERT INTO consolidated_mentions_v10
    SELECT m.consolidated_id, m.event_id, m.article_id, m.position, e.sentence, s.start, s.end,
           substr(a.text, s.start + 1, s.end - s.start), a.published, a.source
    FROM consolidated_mentions m JOIN events e ON e.id = m.event_id JOIN articles a ON a.id = e.article_id
    JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence;
DROP TABLE consolidated_mentions;
ALTER TABLE consolidated_mentions_v10 RENAME TO consolidated_mentions;
CREATE INDEX consolidated_mentions_article ON consolidated_mentions(article_id);
"""
