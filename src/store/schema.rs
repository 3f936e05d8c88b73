//! The store's tables and the migrations between schema versions.
//!
//! `PRAGMA user_version` holds the version. A fresh store gets `V1` and then
//! every migration in turn, so a new store and an upgraded old one always
//! end up with exactly the same schema.

use rusqlite::Connection;

/// The version this code writes.
pub const CURRENT: i64 = 3;

/// The first schema, kept verbatim: migrations start from it, and the
/// migration tests build old stores with it.
pub const V1: &str = r#"
CREATE TABLE articles (
    id             TEXT PRIMARY KEY,
    title          TEXT,
    source         TEXT,
    url            TEXT,
    path           TEXT,
    published      TEXT,
    published_from TEXT NOT NULL,
    dateline       TEXT,
    text           TEXT NOT NULL,
    ingested_at    TEXT NOT NULL
);

-- `seq` is the compact key the link tables use; `id` is the parser's id.
CREATE TABLE events (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    date_value     TEXT NOT NULL,
    approximate    INTEGER NOT NULL,
    date_key       TEXT NOT NULL,
    summary        TEXT NOT NULL,
    location       TEXT,
    evidence_start INTEGER NOT NULL,
    evidence_end   INTEGER NOT NULL
);

-- One row per person across all articles, merged by normalised name + country.
CREATE TABLE officials (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    country   TEXT NOT NULL DEFAULT '',
    title     TEXT,
    UNIQUE (norm_name, country)
);

-- `pos` keeps the parser's order (the first official is the main actor).
CREATE TABLE event_officials (
    event_seq   INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    official_id INTEGER NOT NULL REFERENCES officials(id),
    PRIMARY KEY (event_seq, pos)
) WITHOUT ROWID;

CREATE TABLE event_countries (
    event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
    pos       INTEGER NOT NULL,
    country   TEXT NOT NULL,
    PRIMARY KEY (event_seq, pos)
) WITHOUT ROWID;

CREATE TABLE quotes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    speaker    TEXT,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE event_quotes (
    event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    PRIMARY KEY (event_seq, idx)
) WITHOUT ROWID;

-- Article-level mentions, spans kept as JSON arrays of {start, end}.
CREATE TABLE article_countries (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    mentions   TEXT NOT NULL,
    PRIMARY KEY (article_id, code)
) WITHOUT ROWID;

CREATE TABLE article_officials (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    official_id INTEGER NOT NULL REFERENCES officials(id),
    title       TEXT,
    mentions    TEXT NOT NULL,
    PRIMARY KEY (article_id, official_id)
) WITHOUT ROWID;

CREATE INDEX events_date ON events(date_key, seq);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX event_countries_country ON event_countries(country);
CREATE INDEX event_officials_official ON event_officials(official_id);
"#;

/// v2: article authors (the parser reports them; v1 dropped them) and an
/// index for `list --kind`, which v1 answered with a full scan.
const V2: &str = r#"
ALTER TABLE articles ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
CREATE INDEX events_kind ON events(kind, date_key);
"#;

/// v3: stories (src/story). Each event's date phrase, which story it is in
/// with what the merge compares (kind, date span, actor keys, word hashes),
/// the (key, first day) index candidates are found through, and one row of
/// summary per story for the timeline.
const V3: &str = r#"
ALTER TABLE events ADD COLUMN date_phrase TEXT;
CREATE TABLE story_events (
    event_seq INTEGER PRIMARY KEY REFERENCES events(seq) ON DELETE CASCADE,
    story     TEXT NOT NULL,
    article   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    lo        INTEGER,
    hi        INTEGER,
    officials TEXT NOT NULL,
    countries TEXT NOT NULL,
    words     BLOB NOT NULL,
    future    INTEGER NOT NULL,
    -- A vague-dated event hangs on to the exact one it matches best: that
    -- event's id and how well they matched.
    anchor       TEXT,
    anchor_score REAL
);
CREATE INDEX story_events_story ON story_events(story);
CREATE INDEX story_events_article ON story_events(article);
-- One row per official key ("o:kimjongun") and country ("c:KP") of a dated
-- event, by its first day: a new event's candidates are the rows of its
-- keys within a few days of its own.
CREATE TABLE story_keys (
    key       TEXT NOT NULL,
    lo        INTEGER NOT NULL,
    event_seq INTEGER NOT NULL REFERENCES story_events(event_seq) ON DELETE CASCADE,
    PRIMARY KEY (key, lo, event_seq)
) WITHOUT ROWID;
CREATE INDEX story_keys_event ON story_keys(event_seq);
CREATE TABLE stories (
    id           TEXT PRIMARY KEY,
    date_value   TEXT NOT NULL,
    date_key     TEXT NOT NULL,
    disagreement INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    summary      TEXT NOT NULL,
    sources      INTEGER NOT NULL,
    events       INTEGER NOT NULL,
    officials    TEXT NOT NULL,
    countries    TEXT NOT NULL
);
CREATE INDEX stories_date ON stories(date_key, id);
"#;

/// Each entry takes the store from version `i` to `i + 1` (entry 0 creates v1).
const MIGRATIONS: [&str; CURRENT as usize] = [V1, V2, V3];

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the store up to `CURRENT`, one transaction per step so a crash
/// leaves it at some whole version. Returns the version found.
pub fn migrate(conn: &mut Connection) -> Result<i64, super::StoreError> {
    let found = version(conn)?;
    if found > CURRENT {
        return Err(super::StoreError::TooNew {
            found,
            known: CURRENT,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(found)
}
