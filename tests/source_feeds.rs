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

/// An RSS feed of `n` items written here (not from the corpus).
fn rss_items(n: usize) -> String {
    let mut s =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Globex</title>");
    for i in 0..n {
        s.push_str(&format!(
            "<item><title>Harbour report {i}</title><link>https://example.org/{i}</link>\
<description>The harbour master of Valdoria said on Monday that {i} ships had docked.</description>\
<pubDate>Mon, 09 Nov 2020 10:00:00 GMT</pubDate></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[test]
fn truncated_feed_keeps_complete_items() {
    let whole = rss_items(40);
    // Cut in the middle of item 31 (0-based 30).
    let cut_at = whole.find("Harbour report 30</title>").unwrap() + 10;
    let cut = &whole[..cut_at];
    let arts = source::read(cut.as_bytes()).expect("complete items are kept");
    assert_eq!(arts.len(), 30, "every complete item is kept");
    for (i, a) in arts.iter().enumerate() {
        assert_eq!(
            a.title.as_deref(),
            Some(format!("Harbour report {i}").as_str())
        );
        assert!(
            !a.text.contains('<') && !a.text.contains("pubDate"),
            "{}",
            a.text
        );
        assert!(a.text.len() < 200, "items run together: {}", a.text.len());
    }
    // An Atom feed cut short the same way.
    let mut atom =
        String::from("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Globex</title><id>g</id>");
    for i in 0..5 {
        atom.push_str(&format!(
            "<entry><title>Entry {i}</title><id>e{i}</id><updated>2020-11-09T10:00:00Z</updated>\
<content type=\"text\">The council of Valdoria met on Monday, item {i}.</content></entry>"
        ));
    }
    let atom_cut = &atom[..atom.len() - 60];
    let arts = source::read(atom_cut.as_bytes()).expect("complete entries are kept");
    assert_eq!(arts.len(), 4);
}

#[test]
fn truncated_feed_says_what_was_lost() {
    let whole = rss_items(40);
    let cut = &whole[..whole.find("Harbour report 30</title>").unwrap() + 10];
    let (arts, notes) = source::read_noted(cut.as_bytes()).expect("complete items are kept");
    assert_eq!(arts.len(), 30);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("cut short") && n.contains("30")),
        "{notes:?}"
    );
}

#[test]
fn broken_item_in_the_middle_loses_only_itself() {
    let whole = rss_items(6).replace(
        "<item><title>Harbour report 2</title>",
        "<item><title>Harbour report 2</titel><bad attr=>",
    );
    let (arts, notes) = source::read_noted(whole.as_bytes()).expect("the other items are kept");
    assert_eq!(arts.len(), 5, "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("1 item")), "{notes:?}");
    assert!(arts.iter().all(|a| !a.text.contains('<')));
}

#[test]
fn json_feed_wrong_type_field_is_not_stored_as_json() {
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Globex",
"items":[
 {"id":"1","title":"Council meets","content_text":"The council of Valdoria met on Monday.","date_published":"2020-11-09T10:00:00Z"},
 {"id":2,"title":"Port reopens","content_text":"The port of Valdoria reopened on Tuesday.","date_published":"2020-11-10T10:00:00Z"},
 {"id":"3","title":["not","a","title"],"content_text":"Ships docked in Valdoria on Wednesday.","tags":"port"}
]}"#;
    let arts = source::read(json.as_bytes()).expect("items are read");
    assert_eq!(arts.len(), 3);
    for a in &arts {
        assert!(
            !a.text.contains('{') && !a.text.contains("content_text"),
            "{}",
            a.text
        );
    }
    assert_eq!(arts[1].title.as_deref(), Some("Port reopens"));
    let (_, notes) = source::read_noted(json.as_bytes()).expect("items are read");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("item 2") && n.contains("id")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("item 3") && n.contains("title")),
        "{notes:?}"
    );

    // JSON that is no feed at all is an error, never article text.
    let bad = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Globex","items":7}"#;
    assert!(source::read(bad.as_bytes()).is_err());
}

#[test]
fn licence_file_beside_feeds_is_skipped_with_a_note() {
    let licence = "MIT License\n\nCopyright (c) 2020 Jane Roe\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.";
    match source::read(licence.as_bytes()) {
        Err(e @ source::SourceError::NotArticle(_)) => {
            assert!(e.to_string().starts_with("skipped: "), "{e}")
        }
        other => panic!("not skipped: {other:?}"),
    }
}
