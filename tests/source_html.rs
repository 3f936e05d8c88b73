//! The HTML reader on the two real pages of the shared corpus: the true
//! publication date and the must/must-not-contain snippets of
//! `../shared/corpus/html/gold.json`. Skips when `../shared` is absent.

use std::path::Path;

use newsline::source;

#[test]
fn html_pages_match_gold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/html");
    let Ok(gold) = std::fs::read_to_string(dir.join("gold.json")) else {
        eprintln!(
            "skipping: {} not found (the shared corpus is not here)",
            dir.display()
        );
        return;
    };
    let gold: serde_json::Value = serde_json::from_str(&gold).expect("gold.json parses");
    let pages = gold.as_array().expect("gold.json is a list");
    assert!(!pages.is_empty());
    for page in pages {
        let file = page["file"].as_str().expect("file");
        let bytes = std::fs::read(dir.join(file)).expect("page readable");
        let arts = source::read(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(arts.len(), 1, "{file}");
        let a = &arts[0];
        let want = page["gold_publication_date"].as_str().expect("date");
        assert_eq!(
            a.published.as_ref().map(|p| p.date.to_string()).as_deref(),
            Some(want),
            "{file}: date"
        );
        let tg = &page["trafilatura_gold"];
        for s in tg["must_contain"].as_array().expect("must_contain") {
            let s = s.as_str().expect("snippet");
            assert!(a.text.contains(s), "{file}: text lacks {s:?}");
        }
        for s in tg["must_not_contain"].as_array().expect("must_not_contain") {
            let s = s.as_str().expect("snippet");
            assert!(!a.text.contains(s), "{file}: text has {s:?}");
        }
        assert!(a.title.is_some(), "{file}: no title");
        assert!(
            !a.text.chars().any(|c| c.is_control() && c != '\n'),
            "{file}: control characters"
        );
    }
}
