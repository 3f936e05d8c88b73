//! The store's tables and the migrations between schema versions.
//!
//! `PRAGMA user_version` holds the version. A fresh store gets `V1` and then
//! every migration in turn, so a new store and an upgraded old one always
//! end up with exactly the same schema.

use rusqlite::Connection;

/// The version this code writes.
pub const CURRENT: i64 = 13;

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

/// v3: articles found by URL, so that a feed item whose text was edited
/// replaces the stored article instead of being stored twice.
const V3: &str = r#"
CREATE INDEX articles_url ON articles(url);
"#;

/// v4: stories (src/story). Each event's date phrase, which story it is in
/// with what the merge compares (kind, date span, actor keys, word hashes),
/// the (key, first day) index candidates are found through, and one row of
/// summary per story for the timeline.
const V4: &str = r#"
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

/// v5: feed subscriptions, their HTTP state and schedule, and the items
/// each feed has delivered (how a known item is recognised on the next
/// fetch, and whether its page was fetched).
const V5: &str = r#"
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    title         TEXT,
    every_secs    INTEGER NOT NULL DEFAULT 3600,
    full_text     TEXT NOT NULL DEFAULT 'auto',
    -- Validators exactly as the server sent them, sent back as they are.
    etag          TEXT,
    last_modified TEXT,
    last_fetch    TEXT,
    last_status   INTEGER,
    next_due      TEXT,
    -- The earliest time the server allows (429/503 Retry-After): not even
    -- `update --force` asks sooner.
    not_before    TEXT,
    paused        INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    -- Set while an `update` works on the feed, so a second one skips it.
    lease_until   TEXT,
    added_at      TEXT NOT NULL
);

CREATE TABLE feed_tags (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (feed_id, tag)
) WITHOUT ROWID;

-- `key` is the item's guid, else its link, else its content hash (each
-- with a prefix); `hash` the content it had when last stored; `page` the
-- outcome of fetching its full page (NULL: never fetched).
CREATE TABLE feed_items (
    feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    article_id TEXT NOT NULL,
    hash       TEXT NOT NULL,
    link       TEXT,
    page       TEXT,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;

CREATE INDEX feed_items_article ON feed_items(article_id);
CREATE INDEX feed_items_link ON feed_items(link);
CREATE INDEX feed_tags_tag ON feed_tags(tag);
"#;

/// v6: the reader's marks (read and starred, by event id so that they
/// survive a re-ingest), and an index on article country codes (`stats`
/// looked up each top country's name with a full scan). The words each
/// event's date was read from came in v4.
const V6: &str = r#"
CREATE INDEX article_countries_code ON article_countries(code);
CREATE TABLE event_marks (
    event_id TEXT PRIMARY KEY,
    read     INTEGER NOT NULL DEFAULT 0,
    starred  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
"#;

/// v7: the other names each official goes by (a surname alone, another
/// spelling of the same person from another article), which the official
/// picker, `--official` and search match as well as the name.
const V7: &str = r#"
CREATE TABLE official_aliases (
    official_id INTEGER NOT NULL REFERENCES officials(id),
    alias       TEXT NOT NULL,
    PRIMARY KEY (official_id, alias)
) WITHOUT ROWID;
"#;

/// v8: event counts kept up to date by triggers (per month, per country,
/// per official), so that `stats` reads a few hundred rows instead of
/// counting millions; filled from the stored events once.
const V8: &str = r#"
CREATE TABLE count_months (
    month TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE count_countries (
    country TEXT PRIMARY KEY,
    n       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE count_officials (
    official_id INTEGER PRIMARY KEY,
    n           INTEGER NOT NULL
);
INSERT INTO count_months (month, n)
    SELECT CASE WHEN length(date_key) >= 7 THEN substr(date_key, 1, 7) ELSE 'unknown' END,
           count(*)
    FROM events GROUP BY 1;
INSERT INTO count_countries (country, n)
    SELECT country, count(*) FROM event_countries GROUP BY country;
INSERT INTO count_officials (official_id, n)
    SELECT official_id, count(*) FROM event_officials GROUP BY official_id;
CREATE TRIGGER count_months_add AFTER INSERT ON events BEGIN
    INSERT INTO count_months (month, n) VALUES (
        CASE WHEN length(new.date_key) >= 7 THEN substr(new.date_key, 1, 7) ELSE 'unknown' END, 1)
    ON CONFLICT(month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER count_months_drop AFTER DELETE ON events BEGIN
    UPDATE count_months SET n = n - 1 WHERE month =
        CASE WHEN length(old.date_key) >= 7 THEN substr(old.date_key, 1, 7) ELSE 'unknown' END;
END;
CREATE TRIGGER count_months_move AFTER UPDATE OF date_key ON events BEGIN
    UPDATE count_months SET n = n - 1 WHERE month =
        CASE WHEN length(old.date_key) >= 7 THEN substr(old.date_key, 1, 7) ELSE 'unknown' END;
    INSERT INTO count_months (month, n) VALUES (
        CASE WHEN length(new.date_key) >= 7 THEN substr(new.date_key, 1, 7) ELSE 'unknown' END, 1)
    ON CONFLICT(month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER count_countries_add AFTER INSERT ON event_countries BEGIN
    INSERT INTO count_countries (country, n) VALUES (new.country, 1)
    ON CONFLICT(country) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER count_countries_drop AFTER DELETE ON event_countries BEGIN
    UPDATE count_countries SET n = n - 1 WHERE country = old.country;
END;
CREATE TRIGGER count_countries_move AFTER UPDATE OF country ON event_countries BEGIN
    UPDATE count_countries SET n = n - 1 WHERE country = old.country;
    INSERT INTO count_countries (country, n) VALUES (new.country, 1)
    ON CONFLICT(country) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER count_officials_add AFTER INSERT ON event_officials BEGIN
    INSERT INTO count_officials (official_id, n) VALUES (new.official_id, 1)
    ON CONFLICT(official_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER count_officials_drop AFTER DELETE ON event_officials BEGIN
    UPDATE count_officials SET n = n - 1 WHERE official_id = old.official_id;
END;
CREATE TRIGGER count_officials_move AFTER UPDATE OF official_id ON event_officials BEGIN
    UPDATE count_officials SET n = n - 1 WHERE official_id = old.official_id;
    INSERT INTO count_officials (official_id, n) VALUES (new.official_id, 1)
    ON CONFLICT(official_id) DO UPDATE SET n = n + 1;
END;
"#;

/// v9: each event's quotes as search reads them (`search::quotes_field`:
/// the start of each quote, joined), so that the browser's load and
/// `list --search` read one column of the event instead of looking up
/// its quotes article by article. Filled for the stored events by
/// `fill_quote_text` in the same step.
const V9: &str = r#"
ALTER TABLE events ADD COLUMN quote_text TEXT NOT NULL DEFAULT '';
"#;

/// v10: each event's countries and official ids on the event itself, in
/// the parser's order, so that the browser's load and `list --search`
/// read two columns of the row they read anyway instead of merging in two
/// link tables (four link rows an event on average, which cost SQLite
/// more than the event's own row). The link tables stay: the filters and
/// the counts use them. Ingest writes both; the stored events are filled
/// here. Countries are joined by U+001F (never in a code), official ids
/// by commas.
const V10: &str = r#"
ALTER TABLE events ADD COLUMN country_list TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN official_list TEXT NOT NULL DEFAULT '';
UPDATE events SET
    country_list = coalesce((SELECT group_concat(country, char(31) ORDER BY pos)
        FROM event_countries WHERE event_seq = events.seq), ''),
    official_list = coalesce((SELECT group_concat(official_id, ',' ORDER BY pos)
        FROM event_officials WHERE event_seq = events.seq), '');
"#;

/// The separator of `events.country_list` (v10).
pub const LIST_SEP: char = '\u{1f}';

/// `events.country_list` of these codes (v10).
pub fn country_list<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (k, c) in codes.into_iter().enumerate() {
        if k > 0 {
            out.push(LIST_SEP);
        }
        out.push_str(c);
    }
    out
}

/// `events.official_list` of these official ids (v10).
pub fn official_list(ids: &[i64]) -> String {
    let mut out = String::new();
    for (k, id) in ids.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&id.to_string());
    }
    out
}

/// v11: each story's quotes as its search field (`search::quotes_field`
/// of its distinct quotes in the order of its events), kept by the merge
/// with the story's row, so that the browser's load of the stories reads
/// the stories table alone instead of scanning the events for their
/// quotes. Filled for the stored stories by `fill_story_quotes` in the
/// same step.
const V11: &str = r#"
ALTER TABLE stories ADD COLUMN quote_text TEXT NOT NULL DEFAULT '';
"#;

/// v12: a number that changes whenever what the browser loads changes
/// (events, stories, officials and their other names), so that the
/// browser can tell whether its saved copy of a big store's rows
/// (`tui::snapshot`) is still the store's. Triggers keep it, inside the
/// writer's own transaction, whatever code writes. It starts at a random
/// number: another store's copy never matches by chance. Written with
/// `IF NOT EXISTS` so that a store faked older by the tests (which keeps
/// the table) still migrates.
const V12: &str = r#"
CREATE TABLE IF NOT EXISTS changes (
    what TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO changes (what, n) VALUES ('browse', abs(random() % 1000000000000));
CREATE TRIGGER IF NOT EXISTS browse_events_add AFTER INSERT ON events BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_events_edit AFTER UPDATE ON events BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_events_drop AFTER DELETE ON events BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_stories_add AFTER INSERT ON stories BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_stories_edit AFTER UPDATE ON stories BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_stories_drop AFTER DELETE ON stories BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_officials_add AFTER INSERT ON officials BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_officials_edit AFTER UPDATE ON officials BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_officials_drop AFTER DELETE ON officials BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_aliases_add AFTER INSERT ON official_aliases BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_aliases_edit AFTER UPDATE ON official_aliases BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
CREATE TRIGGER IF NOT EXISTS browse_aliases_drop AFTER DELETE ON official_aliases BEGIN
    UPDATE changes SET n = n + 1 WHERE what = 'browse';
END;
"#;

/// Each entry takes the store from version `i` to `i + 1` (entry 0 creates v1).
/// v13: the story index without its foreign key and without its index
/// by event (`story_keys_event`). The cascade from `story_events` needed
/// that index: a second copy of the biggest table (about five rows an
/// event) that only deletes read, which a rebuild spent about 10 s of
/// its 60 at 1M events making again and every merge kept up to date. A
/// trigger (`STORY_KEYS_TRIGGER`, added in the same step) now deletes an
/// event's keys by their primary key. (A store faked older by the tests
/// has the trigger already: it goes first, as renaming a table checks the
/// triggers that name it.)
const V13: &str = r#"
DROP TRIGGER IF EXISTS story_keys_drop;
CREATE TABLE story_keys_v13 (
    key       TEXT NOT NULL,
    lo        INTEGER NOT NULL,
    event_seq INTEGER NOT NULL,
    PRIMARY KEY (key, lo, event_seq)
) WITHOUT ROWID;
INSERT INTO story_keys_v13 (key, lo, event_seq) SELECT key, lo, event_seq FROM story_keys;
DROP TABLE story_keys;
ALTER TABLE story_keys_v13 RENAME TO story_keys;
"#;

/// Deletes a story event's index keys with its row: the keys
/// `story::merge::stored_keys` writes, made again from the row (its
/// officials' identity keys and its country codes are letters and digits
/// alone, so the space-separated lists become JSON arrays by putting
/// quotes around each word; a list that still is not valid JSON deletes
/// no key of its kind rather than failing the delete: a key left behind
/// only makes a look-up read a row it then finds gone). A test holds the
/// trigger to `stored_keys`. A rebuild drops it while it rewrites the
/// tables and makes it again.
pub(crate) const STORY_KEYS_TRIGGER: &str = r#"
CREATE TRIGGER IF NOT EXISTS story_keys_drop AFTER DELETE ON story_events
WHEN OLD.lo IS NOT NULL BEGIN
    DELETE FROM story_keys WHERE lo = OLD.lo AND event_seq = OLD.event_seq AND key IN (
        SELECT iif(OLD.lo = OLD.hi, '', 'v') || k FROM (
            SELECT lists.kind || words.value AS k
            FROM (
                SELECT 'o:' AS kind, OLD.officials AS list
                UNION ALL SELECT 'c:', OLD.countries
                UNION ALL SELECT 'n:', iif(OLD.officials = '', OLD.countries, '')
            ) AS lists,
            json_each(iif(json_valid('["' || replace(lists.list, ' ', '","') || '"]'),
                          '["' || replace(lists.list, ' ', '","') || '"]', '[]')) AS words
            WHERE words.value != ''
            UNION ALL
            SELECT 'a:' || OLD.article
        )
    );
END;
"#;

/// Each entry takes the store from version `i` to `i + 1` (entry 0 creates v1).
const MIGRATIONS: [&str; CURRENT as usize] =
    [V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13];

/// Fills v9's `events.quote_text` from the quotes stored with each event
/// (their text is made by Rust, which SQL cannot do).
fn fill_quote_text(tx: &rusqlite::Transaction) -> Result<(), super::StoreError> {
    // Read everything first, then write: the events are not changed under
    // a statement that is reading them.
    let mut fields: Vec<(i64, String)> = Vec::new();
    {
        let mut read = tx.prepare(
            "SELECT eq.event_seq, q.text FROM event_quotes eq \
             JOIN events e ON e.seq = eq.event_seq \
             JOIN quotes q ON q.article_id = e.article_id AND q.idx = eq.idx \
             ORDER BY eq.event_seq, eq.idx",
        )?;
        let mut rows = read.query([])?;
        let (mut seq, mut texts): (Option<i64>, Vec<String>) = (None, Vec::new());
        let mut flush = |seq: Option<i64>, texts: &mut Vec<String>| {
            if let Some(s) = seq {
                fields.push((
                    s,
                    super::search::quotes_field(texts.iter().map(String::as_str)),
                ));
            }
            texts.clear();
        };
        while let Some(r) = rows.next()? {
            let s: i64 = r.get(0)?;
            if seq != Some(s) {
                flush(seq, &mut texts);
                seq = Some(s);
            }
            texts.push(r.get(1)?);
        }
        flush(seq, &mut texts);
    }
    let mut write = tx.prepare("UPDATE events SET quote_text = ?2 WHERE seq = ?1")?;
    for (seq, text) in fields {
        write.execute(rusqlite::params![seq, text])?;
    }
    Ok(())
}

/// Fills v11's `stories.quote_text` from the stored stories' events.
fn fill_story_quotes(tx: &rusqlite::Transaction) -> Result<(), super::StoreError> {
    let fields = super::stories::story_quote_fields(tx)?;
    let mut write = tx.prepare("UPDATE stories SET quote_text = ?2 WHERE id = ?1")?;
    for (id, text) in fields {
        write.execute(rusqlite::params![id, text])?;
    }
    Ok(())
}

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the store up to `CURRENT` under SQLite's write lock, re-reading
/// the version once the lock is held: two processes creating or upgrading
/// the same store at once take turns, and the second finds nothing to do.
/// One transaction per step, so a crash leaves some whole version.
/// Returns the version this call upgraded from (`CURRENT` when there was
/// nothing for it to do, another process having done it first).
pub fn migrate(conn: &mut Connection) -> Result<i64, super::StoreError> {
    let mut found = version(conn)?;
    let mut applied = false;
    if found > CURRENT {
        return Err(super::StoreError::TooNew {
            found,
            known: CURRENT,
        });
    }
    if found == CURRENT {
        return Ok(found);
    }
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= CURRENT {
            tx.commit()?;
            return Ok(if applied { found } else { now });
        }
        let Some(sql) = MIGRATIONS.get(now.max(0) as usize) else {
            return Ok(found);
        };
        tx.execute_batch(sql)?;
        if now + 1 == 9 {
            fill_quote_text(&tx)?;
        }
        if now + 1 == 11 {
            fill_story_quotes(&tx)?;
        }
        if now + 1 == 13 {
            tx.execute_batch(STORY_KEYS_TRIGGER)?;
        }
        tx.pragma_update(None, "user_version", now.max(0) + 1)?;
        tx.commit()?;
        if !applied {
            // Another process may have upgraded part of the way first.
            found = now;
            applied = true;
        }
    }
}

/// Fails with `Corrupt` when one of `tables` is missing from the schema.
pub fn check_tables(conn: &Connection, tables: &[&str]) -> Result<(), super::StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1")?;
    for t in tables {
        let n: i64 = stmt.query_row([t], |r| r.get(0))?;
        if n != 1 {
            return Err(super::StoreError::Corrupt(format!(
                "its table {t} is missing"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::store::{Filter, Store};

    fn search(s: &Store, q: &str) -> Vec<String> {
        s.events(&Filter {
            search: Some(q.into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect()
    }

    /// A store taken back to v8 (no quotes field) and opened again is
    /// migrated to exactly what a fresh store holds, and searches alike.
    #[test]
    fn v9_fills_the_quotes_field_of_stored_events() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut s = Store::open(&path).unwrap();
        crate::store::generate::generate(&mut s, 400, 3).unwrap();
        let fields = |s: &Store| -> Vec<(i64, String)> {
            let mut st = s
                .conn
                .prepare("SELECT seq, quote_text FROM events ORDER BY seq")
                .unwrap();
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let fresh = fields(&s);
        assert!(fresh.iter().filter(|f| !f.1.is_empty()).count() > 100);
        let queries = ["we will keep", "talking", "tanaka", "progress port"];
        let found: Vec<Vec<String>> = queries.iter().map(|q| search(&s, q)).collect();
        assert!(found.iter().all(|f| !f.is_empty()));
        s.conn
            .execute_batch(
                "ALTER TABLE events DROP COLUMN quote_text; \
                 ALTER TABLE events DROP COLUMN country_list; \
                 ALTER TABLE events DROP COLUMN official_list; \
                 ALTER TABLE stories DROP COLUMN quote_text; PRAGMA user_version = 8;",
            )
            .unwrap();
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), super::CURRENT);
        assert_eq!(fields(&s), fresh);
        let again: Vec<Vec<String>> = queries.iter().map(|q| search(&s, q)).collect();
        assert_eq!(again, found);
    }

    /// Each event's (seq, country_list, official_list) as stored.
    fn lists(s: &Store) -> Vec<(i64, String, String)> {
        let mut st = s
            .conn
            .prepare("SELECT seq, country_list, official_list FROM events ORDER BY seq")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// The same lists as the link tables say, made in Rust.
    fn lists_from_links(s: &Store) -> Vec<(i64, String, String)> {
        let mut out: Vec<(i64, Vec<String>, Vec<i64>)> = Vec::new();
        let mut st = s
            .conn
            .prepare("SELECT seq FROM events ORDER BY seq")
            .unwrap();
        let seqs: Vec<i64> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for seq in seqs {
            let mut cs = s
                .conn
                .prepare("SELECT country FROM event_countries WHERE event_seq = ?1 ORDER BY pos")
                .unwrap();
            let c: Vec<String> = cs
                .query_map([seq], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut os = s
                .conn
                .prepare(
                    "SELECT official_id FROM event_officials WHERE event_seq = ?1 ORDER BY pos",
                )
                .unwrap();
            let o: Vec<i64> = os
                .query_map([seq], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            out.push((seq, c, o));
        }
        out.into_iter()
            .map(|(seq, c, o)| {
                (
                    seq,
                    super::country_list(c.iter().map(String::as_str)),
                    super::official_list(&o),
                )
            })
            .collect()
    }

    /// The lists v10 keeps on each event say what the link tables say:
    /// as ingest and generate write them, and as the migration fills them
    /// in a store taken back to v9.
    #[test]
    fn v10_lists_match_the_link_tables() {
        use crate::parse::{parse_bytes, Options};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut s = Store::open(&path).unwrap();
        crate::store::generate::generate(&mut s, 300, 4).unwrap();
        // Real parsing too: an event naming a country twice, and several
        // people.
        let text = "---\npublished: 2025-06-02\nsource: Coast Wire\n---\nFishing talks\n\n\
            Chilean President Marta Solis met Peruvian President Jorge Vilca and \
            Peruvian Foreign Minister Ana Cruz in Lima on Monday to discuss fishing \
            rights between Chile and Peru.\n";
        let docs = parse_bytes(text.as_bytes(), &Options::default()).unwrap();
        s.ingest(&docs, Some("a.txt")).unwrap();
        let fresh = lists(&s);
        assert_eq!(fresh, lists_from_links(&s));
        assert!(fresh.iter().any(|l| l.1.contains(super::LIST_SEP)));
        assert!(fresh.iter().any(|l| l.2.contains(',')));
        // The ingested article's event has both lists.
        let last = fresh.last().unwrap();
        assert!(!last.1.is_empty() && !last.2.is_empty(), "{last:?}");
        s.conn
            .execute_batch(
                "ALTER TABLE events DROP COLUMN country_list; \
                 ALTER TABLE events DROP COLUMN official_list; \
                 ALTER TABLE stories DROP COLUMN quote_text; PRAGMA user_version = 9;",
            )
            .unwrap();
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), super::CURRENT);
        assert_eq!(lists(&s), fresh);
    }
}
