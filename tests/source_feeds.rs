//! The feed reader on the real feeds of the shared corpus: every item
//! becomes an article, and every item that has a date element in the file
//! gets a `published` date. Skips when `../shared` is absent.

use std::path::Path;

use newsline::model::PublishedFrom;
use newsline::source;
use regex::Regex;

/// (items, items with a date) counted from the raw file.
fn count_items(bytes: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(bytes);
    if text.trim_start().starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON feed parses");
        let items = v["items"].as_array().cloned().unwrap_or_default();
        let dated = items
            .iter()
            .filter(|i| i.get("date_published").is_some() || i.get("date_modified").is_some())
            .count();
        return (items.len(), dated);
    }
    let item = Regex::new(r"(?s)<(item|entry)[\s>].*?</(item|entry)>").expect("regex");
    let date =
        Regex::new(r"<(pubDate|dc:date|published|updated|dcterms:issued|dcterms:modified)[\s>]")
            .expect("regex");
    let items: Vec<&str> = item.find_iter(&text).map(|m| m.as_str()).collect();
    let dated = items.iter().filter(|i| date.is_match(i)).count();
    (items.len(), dated)
}

#[test]
fn every_dated_item_gets_its_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/feeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipping: {} not found (the shared corpus is not here)",
            dir.display()
        );
        return;
    };
    let mut files = 0;
    for e in entries.flatten() {
        let path = e.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if !(name.ends_with(".xml") || name.ends_with(".json")) {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).expect("feed readable");
        let (items, dated) = count_items(&bytes);
        let arts = source::read(&bytes).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(arts.len(), items, "{name}: one article per item");
        let got = arts.iter().filter(|a| a.published.is_some()).count();
        assert_eq!(got, dated, "{name}: dated items");
        for a in &arts {
            assert!(!a.text.trim().is_empty(), "{name}: empty text");
            assert!(a.source.is_some(), "{name}: feed title as source");
            assert!(
                a.published
                    .as_ref()
                    .is_none_or(|p| p.from == PublishedFrom::Feed),
                "{name}"
            );
            assert!(
                !a.text.chars().any(|c| c.is_control() && c != '\n'),
                "{name}: control characters"
            );
        }
    }
    assert!(files >= 5, "expected the corpus feeds, found {files}");
}

#[test]
fn latin1_feed_is_decoded() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/feeds/rss_1.0_iso8859.xml");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let arts = source::read(&bytes).expect("feed reads");
    assert!(
        arts.iter().all(|a| !a.text.contains('\u{fffd}')),
        "replacement characters in a Latin-1 feed"
    );
}
