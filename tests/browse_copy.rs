//! The browser's saved copy of a load (`tui::data::snapshot`): read back,
//! it is the load it was made from; it is used only while the store has
//! not changed since (schema v12's browse generation), and a damaged,
//! stale or foreign copy is refused without harm.

mod common;

use common::meeting;
use newsline::store::{generate, Store};
use newsline::tui::data::{self, snapshot};
use newsline::tui::stories;

fn store() -> (tempfile::TempDir, Store) {
    common::generated_store()
}

/// Loads through the copy (saving a fresh load of any size).
fn load(store: &Store) -> (data::Data, bool) {
    let (d, save) = data::load_cached_from(store, |_, _| {}, 0).unwrap();
    let fresh = save.is_some();
    if let Some(save) = save {
        save.write(&d, None);
    }
    (d, fresh)
}

#[test]
fn a_saved_copy_reads_back_as_the_load_it_was_made_from() {
    let (_dir, store) = store();
    let (fresh, was_fresh) = load(&store);
    assert!(was_fresh, "no copy yet: the store is read");
    let copy = snapshot::path_for(store.path(), snapshot::Kind::Events);
    assert!(copy.exists(), "the fresh load was saved at {copy:?}");
    let (again, was_fresh) = load(&store);
    assert!(!was_fresh, "the second load reads the copy");
    assert_eq!(again.len() as i64, store.event_count().unwrap());
    // Every row, name, alias and search field, and the order.
    assert_eq!(format!("{fresh:?}"), format!("{again:?}"));
    assert_eq!(
        data::load(&store, |_, _| {})
            .map(|d| format!("{d:?}"))
            .unwrap(),
        format!("{again:?}")
    );
}

#[test]
fn the_stories_copy_keeps_each_rows_sources_and_disagreement() {
    let (_dir, store) = store();
    let (fresh, save) = stories::load_cached_from(&store, 0).unwrap();
    let save = save.expect("a fresh load to save");
    save.write(&fresh.data, Some(&fresh.info_pairs()));
    let (again, save) = stories::load_cached_from(&store, 0).unwrap();
    assert!(save.is_none(), "the copy was read");
    assert_eq!(format!("{:?}", fresh.data), format!("{:?}", again.data));
    assert_eq!(fresh.info, again.info);
    assert!(
        again.info.iter().any(|i| i.sources == 2),
        "the meeting's story has its two sources"
    );
}

#[test]
fn a_write_to_the_store_makes_the_copy_stale() {
    let (_dir, mut store) = store();
    load(&store);
    let before = store.browse_generation().unwrap();
    let events = store.event_count().unwrap();
    store.ingest(&[meeting("a3", "2023-12-01")], None).unwrap();
    assert_ne!(store.browse_generation().unwrap(), before);
    let (d, was_fresh) = load(&store);
    assert!(was_fresh, "the copy is older than the store: not used");
    assert!(d.len() as i64 > events, "the new article's events are in");
    assert_eq!(d.len() as i64, store.event_count().unwrap());
    let (_, was_fresh) = load(&store);
    assert!(!was_fresh, "and the new copy is used after");
}

#[test]
fn every_table_the_browser_loads_moves_the_generation() {
    let (dir, store) = store();
    let path = dir.path().join("s.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut last = store.browse_generation().unwrap();
    for sql in [
        "UPDATE events SET summary = summary || '.' WHERE seq = 1",
        "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)",
        "UPDATE officials SET title = 'Envoy' WHERE id = (SELECT min(id) FROM officials)",
        "INSERT INTO official_aliases (official_id, alias) \
         SELECT min(id), 'Another Name' FROM officials",
        "DELETE FROM official_aliases WHERE alias = 'Another Name'",
        "UPDATE stories SET summary = summary || '.' \
         WHERE id = (SELECT min(id) FROM stories)",
        "DELETE FROM stories WHERE id = (SELECT min(id) FROM stories)",
    ] {
        conn.execute_batch(sql).unwrap();
        let now = store.browse_generation().unwrap();
        assert_ne!(now, last, "{sql}");
        last = now;
    }
    // The reader's marks are not part of the copy: they do not move it.
    conn.execute_batch(
        "INSERT INTO event_marks (event_id, read, starred) \
         SELECT id, 1, 0 FROM events WHERE seq = 2",
    )
    .unwrap();
    assert_eq!(store.browse_generation().unwrap(), last);
}

#[test]
fn a_damaged_or_foreign_copy_is_refused_and_the_store_read() {
    let (dir, store) = store();
    let (good, _) = load(&store);
    let copy = snapshot::path_for(store.path(), snapshot::Kind::Events);
    let bytes = std::fs::read(&copy).unwrap();
    let generation = store.browse_generation().unwrap();
    assert!(snapshot::read(&copy, generation).is_ok());
    assert!(
        snapshot::read(&copy, generation + 1).is_err(),
        "another generation"
    );
    // Cut short at many places, and bytes changed at many places: never
    // a panic; either refused or (a changed byte inside a text) read.
    let step = (bytes.len() / 97).max(1);
    for cut in (0..bytes.len()).step_by(step) {
        std::fs::write(&copy, &bytes[..cut]).unwrap();
        assert!(snapshot::read(&copy, generation).is_err(), "cut at {cut}");
        assert!(
            snapshot::search(&copy, generation, "tanaka", 50).is_err(),
            "cut at {cut}"
        );
    }
    for at in (0..bytes.len()).step_by(step) {
        let mut b = bytes.clone();
        b[at] ^= 0xa5;
        std::fs::write(&copy, &b).unwrap();
        let _ = snapshot::read(&copy, generation);
        let _ = snapshot::search(&copy, generation, "tanaka", 50);
    }
    std::fs::write(&copy, b"not a copy at all").unwrap();
    assert!(snapshot::read(&copy, generation).is_err());
    // The browser then reads the store, and replaces the bad copy.
    let (d, was_fresh) = load(&store);
    assert!(was_fresh);
    assert_eq!(format!("{good:?}"), format!("{d:?}"));
    // Another store's copy (a copied file) is not this store's.
    let other = dir.path().join("other.db");
    let mut o = Store::open(&other).unwrap();
    generate::generate(&mut o, 3000, 7).unwrap();
    std::fs::copy(&copy, snapshot::path_for(&other, snapshot::Kind::Events)).unwrap();
    let (_, was_fresh) = load(&o);
    assert!(was_fresh, "a copy of another store is not used");
}

/// `newsline --store STORE ARGS…`, which must succeed: its standard output.
fn newsline(store: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsline"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `newsline list` on the store with these arguments: its standard output.
fn list(store: &std::path::Path, args: &[&str]) -> String {
    newsline(store, &[&["list"], args].concat())
}

#[test]
fn list_search_ranks_the_same_from_the_copy_as_from_the_store() {
    let (dir, store) = store();
    let path = dir.path().join("s.db");
    load(&store);
    let copy = snapshot::path_for(&path, snapshot::Kind::Events);
    let searches: [&[&str]; 7] = [
        &["--search", "tanaka"],
        &["--search", "tanka"],
        &["--search", "minister talks"],
        &["--search", "kamikawa", "--format", "json"],
        &["--search", "japan", "--limit", "7", "--format", "csv"],
        &["--search", "foreign", "--format", "jsonl"],
        &["--search", "zzzqqq"],
    ];
    let with: Vec<String> = searches.iter().map(|a| list(&path, a)).collect();
    std::fs::rename(&copy, dir.path().join("away")).unwrap();
    for (args, from_copy) in searches.iter().zip(&with) {
        let from_store = list(&path, args);
        assert_eq!(from_copy, &from_store, "{args:?}");
    }
    assert!(with[0].lines().count() > 3, "tanaka is found: {}", with[0]);
}

#[test]
fn list_search_reads_the_copy_only_while_it_is_current() {
    let (dir, store) = store();
    let path = dir.path().join("s.db");
    load(&store);
    // An edit the generation does not see (its trigger dropped, as no
    // newsline code does): the copy, still taken as current, is what
    // the search reads, so the new word is not found through it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER browse_events_edit; \
         UPDATE events SET summary = summary || ' Quetzalcoatl' WHERE seq = 5;",
    )
    .unwrap();
    let search = ["--search", "quetzalcoatl", "--format", "jsonl"];
    assert_eq!(list(&path, &search), "", "read from the copy");
    // A filter besides the search: the store is read.
    let filtered = list(&path, &[&search[..], &["--from", "1900"]].concat());
    assert_eq!(filtered.lines().count(), 1, "{filtered}");
    // Any counted write makes the copy stale: the store is read again.
    conn.execute_batch(
        "INSERT INTO official_aliases (official_id, alias) \
         SELECT min(id), 'Someone Else' FROM officials;",
    )
    .unwrap();
    let out = list(&path, &search);
    assert_eq!(out.lines().count(), 1, "the one event: {out}");
}

#[test]
fn a_write_through_the_cli_makes_the_copies_current_in_the_background() {
    let (dir, store) = store();
    let path = dir.path().join("s.db");
    load(&store);
    let (s, save) = stories::load_cached_from(&store, 0).unwrap();
    if let Some(save) = save {
        save.write(&s.data, Some(&s.info_pairs()));
    }
    let before = store.browse_generation().unwrap();
    newsline(&path, &["generate", "--events", "50", "--seed", "99"]);
    let now = store.browse_generation().unwrap();
    assert_ne!(now, before, "generate wrote");
    // `newsline refresh-copies` runs detached: wait for it.
    let copies =
        [snapshot::Kind::Events, snapshot::Kind::Stories].map(|k| snapshot::path_for(&path, k));
    let t = std::time::Instant::now();
    while !copies.iter().all(|c| snapshot::is_current(c, now)) {
        assert!(
            t.elapsed() < std::time::Duration::from_secs(60),
            "the copies were not made current"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (d, was_fresh) = load(&store);
    assert!(!was_fresh, "the refreshed copy is read");
    assert_eq!(d.len() as i64, store.event_count().unwrap());
}

#[test]
fn a_store_without_copies_gets_none_from_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    newsline(&path, &["generate", "--events", "50"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    for k in [snapshot::Kind::Events, snapshot::Kind::Stories] {
        assert!(!snapshot::path_for(&path, k).exists());
    }
}

#[test]
fn saving_removes_temporary_copies_abandoned_long_ago() {
    let (dir, store) = store();
    let copy = snapshot::path_for(store.path(), snapshot::Kind::Events);
    let tmp = |name: &str| dir.path().join(name);
    let old = tmp("s.db-events.tmp4242");
    let young = tmp("s.db-events.tmp4343");
    let other = tmp("unrelated.tmp1");
    for p in [&old, &young, &other] {
        std::fs::write(p, b"half a copy").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    for p in [&old, &other] {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    load(&store);
    assert!(copy.exists());
    assert!(!old.exists(), "a browser quit mid-save an hour ago left it");
    assert!(young.exists(), "another writer may still be at it");
    assert!(other.exists(), "not a copy of this store");
}

#[test]
fn a_big_store_without_copies_gets_them_from_the_refresher() {
    use newsline::tui::{copies_to_make, refresh_copies};
    let (_dir, store) = store();
    let stories = store.story_count().unwrap() as usize;
    assert!(stories > 10);
    // Too small to be worth copies: none wanted, none made.
    assert!(copies_to_make(&store, 1_000_000).unwrap().is_empty());
    refresh_copies(&store, 1_000_000).unwrap();
    for k in [snapshot::Kind::Events, snapshot::Kind::Stories] {
        assert!(!snapshot::path_for(store.path(), k).exists());
    }
    // Big enough (events, and stories, at or over the mark): both made.
    assert_eq!(
        copies_to_make(&store, stories).unwrap(),
        [snapshot::Kind::Events, snapshot::Kind::Stories]
    );
    refresh_copies(&store, stories).unwrap();
    assert!(copies_to_make(&store, stories).unwrap().is_empty());
    assert!(copies_to_make(&store, 0).unwrap().is_empty(), "all current");
    let (_, fresh) = load(&store);
    assert!(!fresh);
}
