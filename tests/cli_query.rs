//! `list`, `show`, `export`, `stats`, `generate` and `--version` through
//! the built binary.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{meeting, write_parse_json, ArticleBuilder};
use newsline::model::EventKind;

fn newsline(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsline"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("NEWSLINE_STORE")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let a = write_parse_json(dir.path(), "a.json", &meeting("a1", "2023-11-25"));
    let korea = ArticleBuilder::new("k1")
        .country("KR", "South Korea")
        .country("KP", "North Korea")
        .official("Park Jin", "Foreign Minister", "KR")
        .quote("The door to dialogue remains open", Some("Park Jin"))
        .event(
            "k1-e1",
            EventKind::Appeal,
            "2023-12-09",
            "South Korea urged the North to resume dialogue",
            &["KR", "KP"],
            &["Park Jin"],
            &[0],
        )
        .build();
    let k = write_parse_json(dir.path(), "k.json", &korea);
    ok(newsline(
        &store,
        &["ingest", a.to_str().unwrap(), k.to_str().unwrap()],
    ));
    (dir, store)
}

#[test]
fn list_json_objects_have_the_documented_shape() {
    let (_d, store) = seeded();
    let out = ok(newsline(&store, &["list", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    let e = &arr[1];
    assert_eq!(e["id"], "a1-e1");
    assert_eq!(e["kind"], "meet");
    assert_eq!(e["date"]["value"], "2023-11-25");
    assert_eq!(e["date"]["approximate"], false);
    assert_eq!(e["countries"], serde_json::json!(["JP", "CN"]));
    assert_eq!(
        e["officials"],
        serde_json::json!(["Yoko Kamikawa", "Wang Yi"])
    );
    assert_eq!(e["location"], "Busan");
    assert_eq!(e["quotes"][0]["text"], "We agreed to keep talking");
    assert_eq!(e["quotes"][0]["speaker"], "Yoko Kamikawa");
    assert_eq!(e["article"]["id"], "a1");
    assert_eq!(e["article"]["source"], "Test Wire");
    assert!(e["article"]["path"].as_str().unwrap().ends_with("a.json"));
    assert!(e["article"].get("url").is_some());
    let lines = ok(newsline(&store, &["list", "--format", "jsonl"]));
    assert_eq!(lines.lines().count(), 3);
    assert!(lines
        .lines()
        .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
}

#[test]
fn list_filters_from_the_command_line() {
    let (_d, store) = seeded();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["list", "--format", "jsonl"];
        a.extend_from_slice(args);
        ok(newsline(&store, &a))
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(ids(&["--country", "KR"]), ["k1-e1"]);
    // A name the store has seen resolves to its code.
    assert_eq!(ids(&["--country", "South Korea"]), ["k1-e1"]);
    assert_eq!(ids(&["--country", "jp"]), ["a1-e1"]);
    assert_eq!(ids(&["--official", "Kamikawa"]), ["a1-e1"]);
    assert_eq!(ids(&["--from", "2023-12"]), ["k1-e1"]);
    assert_eq!(ids(&["--to", "2023-11"]), ["a1-e2", "a1-e1"]);
    assert_eq!(
        ids(&["--kind", "statement", "--kind", "appeal"]),
        ["a1-e2", "k1-e1"]
    );
    assert_eq!(ids(&["--search", "dialogue", "--limit", "1"]), ["k1-e1"]);
    assert_eq!(ids(&["--limit", "1"]), ["a1-e2"]);
}

#[test]
fn list_rejects_bad_filters_in_one_line() {
    let (_d, store) = seeded();
    for args in [
        vec!["list", "--kind", "dance"],
        vec!["list", "--from", "last week"],
        vec!["list", "--country", "Atlantis"],
    ] {
        let out = newsline(&store, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    }
}

#[test]
fn list_table_has_ids_and_whole_summaries_off_a_terminal() {
    let (_d, store) = seeded();
    let out = ok(newsline(&store, &["list"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("ID") && lines[0].contains("DATE"));
    // The ID column holds what `show` takes.
    let id = lines[1].split_whitespace().next().unwrap();
    assert!(ok(newsline(&store, &["show", id])).contains(id));
    assert!(lines[1].contains("2023-11 "), "{}", lines[1]);
    // Piped: summaries are never cut.
    assert!(!out.contains('…'), "{out}");
    assert!(out.contains("Japan's foreign minister met her Chinese counterpart in Busan"));
    assert!(lines[2].contains("JP,CN") && lines[2].contains("meet"));
}

#[test]
fn list_csv_and_export_take_the_same_filters() {
    let (_d, store) = seeded();
    let csv = ok(newsline(
        &store,
        &["list", "--format", "csv", "--country", "JP"],
    ));
    assert!(csv.starts_with("id,date,"));
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let exported = ok(newsline(
        &store,
        &["export", "--format", "csv", "--country", "JP"],
    ));
    assert_eq!(exported, csv);
    let out = newsline(&store, &["export", "--from", "2024", "--to", "2023"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("after --to"));
}

#[test]
fn list_search_agrees_with_the_browser() {
    let (_d, store) = seeded();
    for q in ["busan", "wang", "kamikwa", "dialog", "zzz", "talks korea"] {
        let listed: Vec<String> = ok(newsline(
            &store,
            &["list", "--search", q, "--format", "jsonl"],
        ))
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
        let s = newsline::store::Store::open_existing(&store).unwrap();
        let data = newsline::tui::data::load(&s, |_, _| {}).unwrap();
        let h = newsline::tui::search::search_all(
            &data,
            &newsline::tui::search::Query {
                gen: 1,
                text: q.into(),
                candidates: std::sync::Arc::new((0..data.len() as u32).collect()),
            },
        );
        let browsed: Vec<String> = h
            .ranked
            .iter()
            .map(|&i| data.rows[i as usize].id.to_string())
            .collect();
        assert_eq!(listed, browsed, "{q}");
    }
}

#[test]
fn show_prints_event_quotes_evidence_and_article() {
    let (_d, store) = seeded();
    let out = ok(newsline(&store, &["show", "k1-e"]));
    assert!(out.contains("South Korea urged the North to resume dialogue"));
    assert!(out.contains("The door to dialogue remains open"));
    assert!(out.contains("Evidence:"));
    assert!(out.contains("Headline of k1"));
    let v: serde_json::Value = serde_json::from_str(&ok(newsline(
        &store,
        &["show", "k1-e1", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(
        v["evidence"]["text"],
        "South Korea urged the North to resume dialogue"
    );
    assert_eq!(v["kind"], "appeal");
    let missing = newsline(&store, &["show", "nope"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope: no such event"));
    let ambiguous = newsline(&store, &["show", "a1-e"]);
    assert_eq!(ambiguous.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&ambiguous.stderr).contains("ambiguous"));
}

#[test]
fn export_json_and_csv() {
    let (dir, store) = seeded();
    let json = ok(newsline(&store, &["export"]));
    let listed = ok(newsline(&store, &["list", "--format", "json"]));
    assert_eq!(json, listed);
    let csv_path = dir.path().join("out.csv");
    let out = newsline(
        &store,
        &[
            "export",
            "--format",
            "csv",
            "-o",
            csv_path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        newsline::cli::export::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[1][0], "a1-e1");
    assert_eq!(&rows[1][5], "JP;CN");
    assert_eq!(&rows[1][6], "Yoko Kamikawa;Wang Yi");
    assert!(!dir.path().join("out.newsline-tmp").exists());
}

#[test]
fn stats_text_and_json() {
    let (_d, store) = seeded();
    let v: serde_json::Value =
        serde_json::from_str(&ok(newsline(&store, &["stats", "--format", "json"]))).unwrap();
    assert_eq!(v["articles"], 2);
    assert_eq!(v["events"], 3);
    assert_eq!(v["officials"], 3);
    assert_eq!(v["countries"], 4);
    assert_eq!(v["schema"], newsline::store::schema::CURRENT);
    assert_eq!(v["events_per_month"][0]["month"], "2023-11");
    assert_eq!(v["events_per_month"][0]["events"], 2);
    let text = ok(newsline(&store, &["stats"]));
    assert!(text.contains("events     3"));
    assert!(text.contains("top officials"));
}

#[test]
fn generate_then_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("g.db");
    let out = newsline(&store, &["generate", "--events", "1500", "--seed", "9"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote 1500 events"));
    let v: serde_json::Value =
        serde_json::from_str(&ok(newsline(&store, &["stats", "--format", "json"]))).unwrap();
    assert_eq!(v["events"], 1500);
    let listed = ok(newsline(
        &store,
        &["list", "--limit", "10", "--format", "jsonl"],
    ));
    assert_eq!(listed.lines().count(), 10);
}

#[test]
fn store_comes_from_env_and_version_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let env_store = dir.path().join("env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args(["generate", "--events", "10"])
        .env("NEWSLINE_STORE", &env_store)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(env_store.exists());
    let v = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .arg("--version")
        .env("NEWSLINE_STORE", &env_store)
        .output()
        .unwrap();
    let text = String::from_utf8(v.stdout).unwrap();
    assert!(text.starts_with("newsline "), "{text}");
    assert!(
        text.contains(&format!("store:  {}", env_store.display())),
        "{text}"
    );
    assert!(text.contains("config: "), "{text}");
    // --store wins over the environment.
    let other = dir.path().join("other.db");
    let v = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args(["--store", other.to_str().unwrap(), "--version"])
        .env("NEWSLINE_STORE", &env_store)
        .output()
        .unwrap();
    assert!(String::from_utf8(v.stdout)
        .unwrap()
        .contains(&other.display().to_string()));
}

#[test]
fn reading_commands_need_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let out = newsline(&dir.path().join("none.db"), &["list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store here yet"));
    assert!(!dir.path().join("none.db").exists());
}
