//! `newsline demo` builds its store in a temporary folder from embedded
//! articles; here with three invented articles in the same shape.

use newsline::tui::demo::build_store;

const A: &str = "---\ntitle: Ministers agree to resume fishing talks\nsource: Example Wire\npublished: 2024-11-25\n---\nOSLO, Nov 25 (Example Wire) - Norwegian Foreign Minister Kari Holm met her Icelandic counterpart in Oslo on Saturday and agreed to resume talks on fishing quotas.\n\n\"We made real progress today,\" Holm told reporters.\n";
const B: &str = "---\ntitle: Talks in Tokyo\nsource: Example Wire\npublished: 2024-12-02\n---\nTOKYO, Dec 2 (Example Wire) - Chinese and Japanese ministers met in Tokyo on Monday.\n";
const C: &str = "---\ntitle: Rally in Lima\nsource: Example Wire\npublished: 2025-01-14\n---\nLIMA, Jan 14 (Example Wire) - Thousands of protesters rallied outside Peru's parliament on Tuesday.\n";

#[test]
fn demo_store_is_built_from_the_articles() {
    let dir = tempfile::tempdir().unwrap();
    let (path, events) =
        build_store(dir.path(), &[("a.txt", A), ("b.txt", B), ("c.txt", C)]).unwrap();
    assert!(path.starts_with(dir.path()));
    assert!(events >= 3, "{events}");
    let store = newsline::store::Store::open_existing(&path).unwrap();
    let data = newsline::tui::data::load(&store, |_, _| {}).unwrap();
    assert_eq!(data.len(), events);
    assert!(data.rows.windows(2).all(|w| w[0].date <= w[1].date));
}

#[test]
fn embedded_demo_files_parse() {
    // Whatever assets/demo holds at build time must load.
    let dir = tempfile::tempdir().unwrap();
    let r = build_store(dir.path(), newsline::tui::demo::FILES);
    assert!(r.is_ok(), "{r:?}");
}
