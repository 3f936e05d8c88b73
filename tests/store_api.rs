//! The store on real SQLite files: ingest, re-ingest, queries, timeline,
//! migrations and refusing bad store files.

mod common;

use common::{meeting, ArticleBuilder};
use newsline::model::EventKind;
use newsline::store::{schema, Filter, Store, StoreError};

fn count(store: &Store, table: &str) -> i64 {
    store
        .connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

const TABLES: [&str; 9] = [
    "articles",
    "events",
    "officials",
    "event_officials",
    "event_countries",
    "quotes",
    "event_quotes",
    "article_countries",
    "article_officials",
];

fn snapshot(store: &Store) -> Vec<i64> {
    TABLES.iter().map(|t| count(store, t)).collect()
}

fn seeded() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    store
        .ingest(&[meeting("a1", "2023-11-25")], Some("/x/a1.txt"))
        .unwrap();
    store.ingest(&[meeting("a2", "2024-02-03")], None).unwrap();
    let other = ArticleBuilder::new("a3")
        .published("2023-12-10")
        .country("KR", "South Korea")
        .official("Park Jin", "Foreign Minister", "KR")
        .quote("The door to dialogue remains open", Some("Park Jin"))
        .event(
            "a3-e1",
            EventKind::Appeal,
            "2023-12-09",
            "South Korea urged the North to resume dialogue",
            &["KR", "KP"],
            &["Park Jin"],
            &[0],
        )
        .build();
    store.ingest(&[other], None).unwrap();
    (dir, store)
}

#[test]
fn fresh_store_is_wal_and_current() {
    let (_d, store) = seeded();
    assert_eq!(store.schema_version().unwrap(), schema::CURRENT);
    let mode: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn reingest_changes_nothing() {
    let (_d, mut store) = seeded();
    let before = snapshot(&store);
    let stats = store
        .ingest(
            &[meeting("a1", "2023-11-25"), meeting("a2", "2024-02-03")],
            None,
        )
        .unwrap();
    assert_eq!(stats.articles_new, 0);
    assert_eq!(stats.articles_unchanged, 2);
    assert_eq!(stats.events_added, 0);
    assert_eq!(snapshot(&store), before);
    // The first ingest's path is kept, not overwritten by the second.
    let a = store.article("a1").unwrap().unwrap();
    assert_eq!(a.path.as_deref(), Some("/x/a1.txt"));
}

#[test]
fn ingest_counts_and_merges_officials_across_articles() {
    let (_d, store) = seeded();
    assert_eq!(count(&store, "articles"), 3);
    assert_eq!(count(&store, "events"), 5);
    // Kamikawa and Wang appear in two articles each: one record per person.
    assert_eq!(count(&store, "officials"), 3);
    let stats = store.stats(5).unwrap();
    assert_eq!((stats.articles, stats.events, stats.officials), (3, 5, 3));
    assert_eq!(stats.countries, 4);
    assert_eq!(stats.top_countries[0].code, "CN");
    assert_eq!(stats.top_countries[0].events, 4);
    assert_eq!(stats.top_countries[0].name.as_deref(), Some("China"));
    assert_eq!(stats.top_officials[0].name, "Wang Yi");
    assert_eq!(stats.top_officials[0].country.as_deref(), Some("CN"));
    let months: Vec<(&str, i64)> = stats
        .events_per_month
        .iter()
        .map(|m| (m.month.as_str(), m.events))
        .collect();
    assert_eq!(months, [("2023-11", 2), ("2023-12", 1), ("2024-02", 2)]);
}

#[test]
fn official_names_merge_when_normalised_equal() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let a = ArticleBuilder::new("n1")
        .official("Yoko Kamikawa", "Foreign Minister", "JP")
        .event(
            "n1-e",
            EventKind::Meet,
            "2023-11-25",
            "x",
            &["JP"],
            &["Yoko Kamikawa"],
            &[],
        )
        .build();
    let b = ArticleBuilder::new("n2")
        .official("YOKO  KAMIKAWA", "Foreign Minister", "JP")
        .event(
            "n2-e",
            EventKind::Visit,
            "2023-11-26",
            "y",
            &["JP"],
            &["YOKO  KAMIKAWA"],
            &[],
        )
        .build();
    // A same-named person of another country stays a separate record.
    let c = ArticleBuilder::new("n3")
        .official("Yoko Kamikawa", "Mayor", "BR")
        .event(
            "n3-e",
            EventKind::Visit,
            "2023-11-27",
            "z",
            &["BR"],
            &["Yoko Kamikawa"],
            &[],
        )
        .build();
    store.ingest(&[a, b, c], None).unwrap();
    assert_eq!(count(&store, "officials"), 2);
}

#[test]
fn event_round_trips() {
    let (_d, store) = seeded();
    let e = store.event("a1-e1").unwrap().unwrap();
    assert_eq!(e.kind, EventKind::Meet);
    assert_eq!(e.date.value, "2023-11-25");
    assert!(!e.date.approximate);
    assert_eq!(e.countries, ["JP", "CN"]);
    assert_eq!(e.officials, ["Yoko Kamikawa", "Wang Yi"]);
    assert_eq!(e.location.as_deref(), Some("Busan"));
    assert_eq!(e.quotes.len(), 1);
    assert_eq!(e.quotes[0].text, "We agreed to keep talking");
    assert_eq!(e.quotes[0].speaker.as_deref(), Some("Yoko Kamikawa"));
    assert_eq!(e.article.id, "a1");
    assert_eq!(e.article.path.as_deref(), Some("/x/a1.txt"));
    let art = store.article("a1").unwrap().unwrap();
    assert_eq!(
        art.text.get(e.evidence.start..e.evidence.end),
        Some(e.summary.as_str())
    );
    assert_eq!(art.events, ["a1-e2", "a1-e1"]);
    // JSON shape of list/export.
    let v = serde_json::to_value(&e).unwrap();
    for key in [
        "id",
        "kind",
        "date",
        "summary",
        "countries",
        "officials",
        "location",
        "quotes",
        "article",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["date"]["value"], "2023-11-25");
    assert_eq!(v["quotes"][0]["speaker"], "Yoko Kamikawa");
    assert_eq!(v["article"]["title"], "Headline of a1");
    assert!(v.get("date_key").is_none());
}

#[test]
fn event_prefix_lookup() {
    let (_d, store) = seeded();
    assert_eq!(store.event("a3-e").unwrap().unwrap().id, "a3-e1");
    // "a1-e" is the start of two ids: no single answer.
    assert!(store.event("a1-e").unwrap().is_none());
    assert_eq!(
        store.event_ids_with_prefix("a1-e", 5).unwrap(),
        ["a1-e1", "a1-e2"]
    );
    assert!(store.event("zzz").unwrap().is_none());
    assert!(store.article("nope").unwrap().is_none());
}

fn ids(events: &[newsline::store::EventRecord]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

#[test]
fn events_in_date_order() {
    let (_d, store) = seeded();
    let all = store.events(&Filter::default()).unwrap();
    // "2023-11" (a month) sorts at its first day, before the 25th.
    assert_eq!(ids(&all), ["a1-e2", "a1-e1", "a3-e1", "a2-e2", "a2-e1"]);
    let two = store
        .events(&Filter {
            limit: Some(2),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(ids(&two), ["a1-e2", "a1-e1"]);
}

#[test]
fn filters_combine() {
    let (_d, store) = seeded();
    let f = |f: Filter| {
        ids(&store.events(&f).unwrap())
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        f(Filter {
            countries: vec!["KR".into()],
            ..Default::default()
        }),
        ["a3-e1"]
    );
    assert_eq!(
        f(Filter {
            countries: vec!["kp".into(), "JP".into()],
            ..Default::default()
        }),
        ["a1-e1", "a3-e1", "a2-e1"]
    );
    assert_eq!(
        f(Filter {
            officials: vec!["Kamikawa".into()],
            ..Default::default()
        }),
        ["a1-e1", "a2-e1"]
    );
    assert_eq!(
        f(Filter {
            officials: vec!["kamikawa".into(), "park".into()],
            ..Default::default()
        }),
        ["a1-e1", "a3-e1", "a2-e1"]
    );
    assert!(f(Filter {
        officials: vec!["Zelensky".into()],
        ..Default::default()
    })
    .is_empty());
    assert_eq!(
        f(Filter {
            from: Some("2023-12".into()),
            to: Some("2023-12".into()),
            ..Default::default()
        }),
        ["a3-e1"]
    );
    assert_eq!(
        f(Filter {
            to: Some("2023-11-25".into()),
            ..Default::default()
        }),
        ["a1-e2", "a1-e1"]
    );
    assert_eq!(
        f(Filter {
            from: Some("2024".into()),
            ..Default::default()
        }),
        ["a2-e2", "a2-e1"]
    );
    assert_eq!(
        f(Filter {
            kinds: vec![EventKind::Statement, EventKind::Appeal],
            ..Default::default()
        }),
        ["a1-e2", "a3-e1", "a2-e2"]
    );
    assert_eq!(
        f(Filter {
            countries: vec!["CN".into()],
            kinds: vec![EventKind::Meet],
            from: Some("2024-01".into()),
            ..Default::default()
        }),
        ["a2-e1"]
    );
}

#[test]
fn search_ranks_by_fuzzy_score() {
    let (_d, store) = seeded();
    let hits = store
        .events(&Filter {
            search: Some("dialogue".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits[0].id, "a3-e1");
    // Quotes are searched too.
    let hits = store
        .events(&Filter {
            search: Some("keep talking".into()),
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].id.ends_with("-e1") && hits[0].id != "a3-e1");
    // Officials' names are searched.
    let hits = store
        .events(&Filter {
            search: Some("Park Jin".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits[0].id, "a3-e1");
    assert!(store
        .events(&Filter {
            search: Some("qqqxxzz".into()),
            ..Default::default()
        })
        .unwrap()
        .is_empty());
}

#[test]
fn timeline_has_what_the_browser_needs() {
    let (_d, store) = seeded();
    let rows = store.load_timeline().unwrap();
    assert_eq!(rows.len(), 5);
    let keys: Vec<&str> = rows.iter().map(|r| r.date_key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "2023-11-01",
            "2023-11-25",
            "2023-12-09",
            "2024-02-01",
            "2024-02-03"
        ]
    );
    assert_eq!(rows[1].id, "a1-e1");
    assert_eq!(rows[1].kind, EventKind::Meet);
    assert_eq!(rows[1].countries, ["JP", "CN"]);
    assert_eq!(rows[1].officials, ["Yoko Kamikawa", "Wang Yi"]);
    assert_eq!(rows[2].countries, ["KR", "KP"]);
}

#[test]
fn generated_store_has_exactly_n_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("g.db")).unwrap();
    assert_eq!(
        newsline::store::generate::generate(&mut store, 2_500, 7).unwrap(),
        2_500
    );
    assert_eq!(count(&store, "events"), 2_500);
    let rows = store.load_timeline().unwrap();
    assert_eq!(rows.len(), 2_500);
    assert!(rows.windows(2).all(|w| w[0].date_key <= w[1].date_key));
    assert!(rows
        .iter()
        .all(|r| !r.countries.is_empty() && !r.officials.is_empty()));
    let stats = store.stats(3).unwrap();
    assert!(stats.countries >= 50, "{}", stats.countries);
    assert!(stats.officials >= 200, "{}", stats.officials);
    // The same seed again adds nothing.
    assert_eq!(
        newsline::store::generate::generate(&mut store, 2_500, 7).unwrap(),
        0
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn migrates_a_v1_store_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(schema::V1).unwrap();
        conn.execute_batch(
            "INSERT INTO articles (id, title, published_from, text, ingested_at) \
               VALUES ('old1', 'An old article', 'cli', 'Old text.', '2023-01-01T00:00:00Z');
             INSERT INTO events (id, article_id, kind, date_value, approximate, date_key, summary, \
               evidence_start, evidence_end) \
               VALUES ('old1-e', 'old1', 'visit', '2023-01-01', 0, '2023-01-01', 'An old visit', 0, 9);
             INSERT INTO event_countries (event_seq, pos, country) VALUES (1, 0, 'FR');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::CURRENT);
    let e = store.event("old1-e").unwrap().unwrap();
    assert_eq!(e.summary, "An old visit");
    assert_eq!(e.countries, ["FR"]);
    // v2's column is there, with its default for old rows.
    assert_eq!(
        store.article("old1").unwrap().unwrap().authors,
        Vec::<String>::new()
    );
    let idx: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_kind'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(idx, 1);
    // And it takes new data.
    store
        .ingest(&[meeting("new1", "2023-11-25")], None)
        .unwrap();
    assert_eq!(store.events(&Filter::default()).unwrap().len(), 3);
    drop(store);
    // Opening again is a no-op.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::CURRENT);
}

#[test]
fn refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}

#[test]
fn refuses_a_file_that_is_not_sqlite_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "my precious notes, not a database\n").unwrap();
    assert!(matches!(Store::open(&path), Err(StoreError::NotSqlite)));
    assert!(matches!(
        Store::open_existing(&path),
        Err(StoreError::NotSqlite)
    ));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "my precious notes, not a database\n"
    );
    let msg = StoreError::NotSqlite.to_string();
    assert!(!msg.contains('\n'));
}

#[test]
fn missing_store_for_reading() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Store::open_existing(&dir.path().join("none.db")),
        Err(StoreError::Missing)
    ));
    // A folder where the file should be.
    assert!(Store::open(dir.path()).is_err());
}

#[test]
fn corrupted_store_gives_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let mut store = Store::open(&path).unwrap();
        newsline::store::generate::generate(&mut store, 3_000, 1).unwrap();
        store
            .connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    // Scribble over every page after the first (the header stays valid).
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 16_384);
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i * 31 % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let outcome = Store::open(&path).and_then(|s| {
        s.load_timeline()?;
        s.events(&Filter::default())?;
        s.integrity_check()
    });
    match outcome {
        Err(e) => assert!(!e.to_string().is_empty()),
        Ok(check) => assert_ne!(check, "ok"),
    }
}

/// Issue 8, item 2: one identity per person across spellings, with the
/// other spellings and short forms stored as aliases and used by
/// `--official` and search.
#[test]
fn one_official_across_spellings_with_aliases() {
    use newsline::parse::{parse_bytes, Options};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let articles = [
        "---\npublished: 2024-03-04\n---\nHarbour talks\n\nPrime Minister Benjamin Netanyahu met Cypriot President Nikos Christodoulides in Nicosia on Monday. Netanyahu said the talks were useful.\n",
        "---\npublished: 2024-03-06\n---\nPort deal\n\nIsraeli Prime Minister Binyamin Netanyahu signed a port agreement with Greece on Wednesday.\n",
    ];
    for (i, text) in articles.iter().enumerate() {
        let docs = parse_bytes(text.as_bytes(), &Options::default()).unwrap();
        store.ingest(&docs, Some(&format!("a{i}.txt"))).unwrap();
    }
    // One person, under the first spelling.
    let named: Vec<String> = store
        .official_names()
        .unwrap()
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| n.contains("Netanyahu"))
        .collect();
    assert_eq!(named, ["Benjamin Netanyahu"]);
    let ids = store
        .match_officials(&["Binyamin Netanyahu".into()])
        .unwrap();
    let aliases = store.official_aliases().unwrap();
    let theirs: Vec<&String> = ids.iter().flat_map(|i| aliases.get(i)).flatten().collect();
    assert!(
        theirs.iter().any(|a| *a == "Binyamin Netanyahu"),
        "{theirs:?}"
    );
    assert!(theirs.iter().any(|a| *a == "Netanyahu"), "{theirs:?}");
    // `--official` by the other spelling finds both articles' events.
    let by_alias = store
        .events(&Filter {
            officials: vec!["Binyamin".into()],
            ..Filter::default()
        })
        .unwrap();
    let articles: std::collections::BTreeSet<&str> =
        by_alias.iter().map(|e| e.article.id.as_str()).collect();
    assert_eq!(articles.len(), 2, "{by_alias:?}");
    // Search by the other spelling finds the first article's meeting too.
    let searched = store
        .events(&Filter {
            search: Some("binyamin".into()),
            ..Filter::default()
        })
        .unwrap();
    assert!(
        searched.iter().any(|e| e.summary.contains("Benjamin")),
        "{searched:?}"
    );
}

/// Issue 8 item 2 in the stories view (the browser's default): a story's
/// official carries the other spellings, so the picker and the search
/// find the person under any of them.
#[test]
fn stories_know_an_official_by_every_spelling() {
    use newsline::parse::{parse_bytes, Options};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let articles = [
        "---\npublished: 2025-05-12\n---\nGrain corridor\n\nPresident António Vasquez met Chilean President Marta Solis in Lima on Monday to discuss a grain corridor.\n",
        "---\npublished: 2025-05-14\n---\nRail pact\n\nPeruvian President Antonio Vasquez signed a rail pact with Bolivia on Wednesday.\n",
    ];
    for (i, text) in articles.iter().enumerate() {
        let docs = parse_bytes(text.as_bytes(), &Options::default()).unwrap();
        store.ingest(&docs, Some(&format!("a{i}.txt"))).unwrap();
    }
    let stories = newsline::tui::stories::load(&store).unwrap();
    let data = &stories.data;
    let who = (0..data.officials.len() as u32)
        .find(|&i| data.official_name(i).contains("Vasquez"))
        .expect("the president is among the stories' officials");
    let names: Vec<&str> = std::iter::once(data.official_name(who))
        .chain(data.official_aliases(who).iter().map(String::as_str))
        .collect();
    assert!(names.contains(&"António Vasquez"), "{names:?}");
    assert!(names.contains(&"Antonio Vasquez"), "{names:?}");
    // Both stories are found by the spelling only the second one used.
    let q = newsline::tui::search::Query {
        gen: 1,
        text: "antonio vasquez".into(),
        candidates: std::sync::Arc::new((0..data.len() as u32).collect()),
    };
    let hits = newsline::tui::search::search_all(data, &q);
    let found: Vec<&str> = hits
        .ranked
        .iter()
        .map(|&i| &*data.rows[i as usize].summary)
        .collect();
    assert!(
        found.iter().any(|s| s.contains("grain corridor")),
        "{found:?}"
    );
    assert!(found.iter().any(|s| s.contains("rail pact")), "{found:?}");
}

/// Issue 8 item 2, the issue's own example: "Kim Jong Un", "Kim Jong-un"
/// and the short "Kim Jong" are one person. ("Un" in title case is part of
/// the name, not the "UN" that qualifies a title.)
#[test]
fn kim_jong_un_is_one_person_under_three_spellings() {
    use newsline::parse::{parse_bytes, Options};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let articles = [
        "---\npublished: 2025-05-12\n---\nSummit\n\nNorth Korean leader Kim Jong Un met the Chinese premier in Beijing on Monday. Later Kim Jong told reporters the talks had gone well.\n",
        "---\npublished: 2025-05-14\n---\nLaunch\n\nNorth Korean leader Kim Jong-un watched a rocket launch on Wednesday, state media said.\n",
    ];
    for (i, text) in articles.iter().enumerate() {
        let docs = parse_bytes(text.as_bytes(), &Options::default()).unwrap();
        store.ingest(&docs, Some(&format!("k{i}.txt"))).unwrap();
    }
    let kims: Vec<(i64, String)> = store
        .official_names()
        .unwrap()
        .into_iter()
        .filter(|(_, n)| n.starts_with("Kim"))
        .collect();
    assert_eq!(kims.len(), 1, "{kims:?}");
    assert_eq!(kims[0].1, "Kim Jong Un");
    let aliases = store.official_aliases().unwrap();
    let theirs = aliases.get(&kims[0].0).cloned().unwrap_or_default();
    assert!(theirs.contains(&"Kim Jong-un".to_string()), "{theirs:?}");
    assert!(theirs.contains(&"Kim Jong".to_string()), "{theirs:?}");
    // `--official` under the hyphenated spelling finds both articles.
    let found = store
        .events(&Filter {
            officials: vec!["Kim Jong-un".into()],
            ..Filter::default()
        })
        .unwrap();
    let articles: std::collections::BTreeSet<&str> =
        found.iter().map(|e| e.article.id.as_str()).collect();
    assert_eq!(articles.len(), 2, "{found:?}");
}

/// A store from before schema 9 has its stories indexed the old way:
/// opening it (once) builds them again, so that a new
/// article joins the stories already there instead of repeating them.
#[test]
fn an_upgraded_store_gets_its_story_index_rebuilt_once() {
    use newsline::parse::{parse_bytes, Options};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let articles = [
        "---\npublished: 2025-06-02\nsource: Coast Wire\n---\nFishing talks\n\nChilean President Marta Solis met Peruvian President Jorge Vilca in Lima on Monday to discuss fishing rights.\n",
        "---\npublished: 2025-06-02\nsource: Andes Post\n---\nLima meeting\n\nPeruvian President Jorge Vilca and Chilean President Marta Solis met in Lima on Monday, talking about fishing rights.\n",
    ];
    let ingest = |store: &mut Store, i: usize| {
        let docs = parse_bytes(articles[i].as_bytes(), &Options::default()).unwrap();
        store.ingest(&docs, Some(&format!("f{i}.txt"))).unwrap();
    };
    {
        let mut store = Store::open(&path).unwrap();
        ingest(&mut store, 0);
        // Made to look like a schema-8 store (the last before stories were
        // stored as now): its keys in a format the merge no longer looks
        // up, and without schema 9's quotes column (nor schema 11's).
        store
            .connection()
            .execute_batch(
                "UPDATE story_keys SET key = 'old-' || key;
                 ALTER TABLE events DROP COLUMN quote_text; ALTER TABLE events DROP COLUMN country_list; ALTER TABLE events DROP COLUMN official_list;
                 ALTER TABLE stories DROP COLUMN quote_text;
                 PRAGMA user_version = 8;",
            )
            .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let stale: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM story_keys WHERE key LIKE 'old-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0, "the story index was not rebuilt");
    // The second outlet's report joins the first one's story.
    ingest(&mut store, 1);
    let most: i64 = store
        .connection()
        .query_row("SELECT max(sources) FROM stories", [], |r| r.get(0))
        .unwrap();
    assert_eq!(most, 2, "the two reports of the meeting are not one story");
}

/// Schema 13 took the story index's foreign key and its index by event
/// away: a v12 store keeps its keys, loses that index, and an event's keys
/// still go with its story row (now by a trigger), as the cascade did.
#[test]
fn v13_keeps_the_story_keys_and_drops_them_with_their_events() {
    use newsline::parse::{parse_bytes, Options};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let articles = [
        "---\npublished: 2025-06-02\nsource: Coast Wire\n---\nFishing talks\n\nChilean President Marta Solis met Peruvian President Jorge Vilca in Lima on Monday to discuss fishing rights.\n",
        "---\npublished: 2025-06-03\nsource: Andes Post\n---\nPort strike\n\nDock workers in Valparaiso began a strike on Tuesday, Chilean Labour Minister Ana Ruiz said.\n",
    ];
    let keys = |store: &Store| -> Vec<(String, i64, i64)> {
        store
            .connection()
            .prepare("SELECT key, lo, event_seq FROM story_keys ORDER BY 1, 2, 3")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = {
        let mut store = Store::open(&path).unwrap();
        for (i, a) in articles.iter().enumerate() {
            let docs = parse_bytes(a.as_bytes(), &Options::default()).unwrap();
            store.ingest(&docs, Some(&format!("f{i}.txt"))).unwrap();
        }
        // Back to v12's story index: the foreign key, its index, no trigger.
        store
            .connection()
            .execute_batch(
                "DROP TRIGGER story_keys_drop;
                 CREATE TABLE old_keys (
                     key TEXT NOT NULL, lo INTEGER NOT NULL,
                     event_seq INTEGER NOT NULL REFERENCES story_events(event_seq) ON DELETE CASCADE,
                     PRIMARY KEY (key, lo, event_seq)) WITHOUT ROWID;
                 INSERT INTO old_keys SELECT * FROM story_keys;
                 DROP TABLE story_keys;
                 ALTER TABLE old_keys RENAME TO story_keys;
                 CREATE INDEX story_keys_event ON story_keys(event_seq);
                 PRAGMA user_version = 12;",
            )
            .unwrap();
        keys(&store)
    };
    assert!(before.len() > 4, "{before:?}");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::CURRENT);
    assert_eq!(keys(&store), before);
    let named = |what: &str, name: &str| -> i64 {
        store
            .connection()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = ?1 AND name = ?2",
                [what, name],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(named("index", "story_keys_event"), 0);
    assert_eq!(named("trigger", "story_keys_drop"), 1);
    // The second article deleted (as a purge does, through the events'
    // cascade): its keys go, the first article's stay.
    let seqs: Vec<i64> = store
        .connection()
        .prepare(
            "SELECT e.seq FROM events e JOIN articles a ON a.id = e.article_id \
             WHERE a.source = 'Andes Post'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!seqs.is_empty());
    store
        .connection()
        .execute("DELETE FROM articles WHERE source = 'Andes Post'", [])
        .unwrap();
    let after = keys(&store);
    let kept: Vec<_> = before
        .iter()
        .filter(|k| !seqs.contains(&k.2))
        .cloned()
        .collect();
    assert_eq!(after, kept);
    assert!(!after.is_empty());
}

/// Events; per month; per country; per official id.
type Counts = (i64, Vec<(String, i64)>, Vec<(String, i64)>, Vec<(i64, i64)>);

/// The stats as counting every row gives them (what schema 8's count
/// tables must always agree with).
fn counted_stats(store: &Store) -> Counts {
    let c = store.connection();
    let events = count(store, "events");
    let rows = |sql: &str| -> Vec<(String, i64)> {
        let mut st = c.prepare(sql).unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let months = rows(
        "SELECT CASE WHEN length(date_key) >= 7 THEN substr(date_key, 1, 7) ELSE 'unknown' END m, \
         count(*) FROM events GROUP BY m ORDER BY m",
    );
    let countries =
        rows("SELECT country, count(*) FROM event_countries GROUP BY country ORDER BY country");
    let mut st = c
        .prepare("SELECT official_id, count(*) FROM event_officials GROUP BY official_id ORDER BY official_id")
        .unwrap();
    let officials = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (events, months, countries, officials)
}

fn kept_stats(store: &Store) -> Counts {
    let s = store.stats(1000).unwrap();
    let mut countries: Vec<(String, i64)> = s
        .top_countries
        .iter()
        .map(|c| (c.code.clone(), c.events))
        .collect();
    countries.sort();
    let c = store.connection();
    let mut st = c
        .prepare("SELECT official_id, n FROM count_officials WHERE n > 0 ORDER BY official_id")
        .unwrap();
    let officials = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let months = s
        .events_per_month
        .iter()
        .map(|m| (m.month.clone(), m.events))
        .collect();
    (s.events, months, countries, officials)
}

#[test]
fn stats_counts_follow_ingest_replacement_and_deletion() {
    let (_d, mut store) = seeded();
    assert_eq!(kept_stats(&store), counted_stats(&store));
    // Another article, one of whose events has no date.
    let more = ArticleBuilder::new("a4")
        .country("FR", "France")
        .event(
            "a4-e1",
            EventKind::Meet,
            "2021-05-04",
            "Talks were held",
            &["FR"],
            &[],
            &[],
        )
        .event(
            "a4-e2",
            EventKind::Meet,
            "",
            "Talks go on",
            &["FR"],
            &[],
            &[],
        )
        .build();
    store.ingest(&[more], None).unwrap();
    assert_eq!(kept_stats(&store), counted_stats(&store));
    assert!(store
        .stats(10)
        .unwrap()
        .events_per_month
        .iter()
        .any(|m| m.month == "2021-05" && m.events == 1));
    // Deleting an article takes its events (and their counts) with it.
    store
        .connection()
        .execute("DELETE FROM articles WHERE id = 'a3'", [])
        .unwrap();
    assert_eq!(kept_stats(&store), counted_stats(&store));
    assert_eq!(store.stats(10).unwrap().events, count(&store, "events"));
    // A generated store too.
    newsline::store::generate::generate(&mut store, 700, 3).unwrap();
    assert_eq!(kept_stats(&store), counted_stats(&store));
    let s = store.stats(3).unwrap();
    assert_eq!(s.top_countries.len(), 3);
    assert!(s
        .top_countries
        .windows(2)
        .all(|w| w[0].events >= w[1].events));
    assert!(s
        .top_officials
        .windows(2)
        .all(|w| w[0].events >= w[1].events));
}

#[test]
fn v8_migration_counts_the_events_already_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let mut store = Store::open(&path).unwrap();
        newsline::store::generate::generate(&mut store, 500, 9).unwrap();
        // Back to a v7 store: no count tables, no triggers (and no
        // quotes fields, which came in v9 and v11).
        store
            .connection()
            .execute_batch(
                "ALTER TABLE events DROP COLUMN quote_text; ALTER TABLE events DROP COLUMN country_list; ALTER TABLE events DROP COLUMN official_list; \
                 ALTER TABLE stories DROP COLUMN quote_text; \
                 DROP TRIGGER count_months_add; DROP TRIGGER count_months_drop; \
                 DROP TRIGGER count_months_move; DROP TRIGGER count_countries_add; \
                 DROP TRIGGER count_countries_drop; DROP TRIGGER count_countries_move; \
                 DROP TRIGGER count_officials_add; DROP TRIGGER count_officials_drop; \
                 DROP TRIGGER count_officials_move; DROP TABLE count_months; \
                 DROP TABLE count_countries; DROP TABLE count_officials; \
                 PRAGMA user_version = 7;",
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::CURRENT);
    assert_eq!(kept_stats(&store), counted_stats(&store));
    assert_eq!(store.stats(5).unwrap().events, 500);
}
