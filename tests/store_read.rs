//! `each_event_with_story`, which reads events and their stories back a
//! batch at a time, against the one-event reads (`event`, `story_refs`).

mod common;

use newsline::store::{Filter, Store};

fn store() -> (tempfile::TempDir, Store) {
    common::generated_store()
}

/// Walks `filter` with stories and checks every event and story against
/// the one-event reads, and the order against `events`. Returns how many
/// events it saw.
fn check(store: &Store, filter: &Filter) -> usize {
    let mut seen = Vec::new();
    let (mut countries, mut officials, mut quotes, mut shared) = (0, 0, 0, 0);
    store
        .each_event_with_story(filter, |e, story| {
            let one = store.event(&e.id).unwrap().expect("the event by its id");
            assert_eq!(e, one);
            let mut refs = store.story_refs(std::slice::from_ref(&e)).unwrap();
            assert_eq!(story, refs.remove(&e.id), "story of {}", e.id);
            countries += usize::from(e.countries.len() > 1);
            officials += usize::from(e.officials.len() > 1);
            quotes += usize::from(!e.quotes.is_empty());
            shared += usize::from(story.is_some_and(|s| s.sources > 1));
            seen.push(e.id);
            Ok(())
        })
        .unwrap();
    let listed: Vec<String> = store
        .events(filter)
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(seen, listed);
    // The store holds what the batched reader has to merge.
    if seen.len() > 1000 {
        assert!(countries > 0 && officials > 0 && quotes > 0 && shared > 0);
    }
    seen.len()
}

#[test]
fn batched_read_back_equals_one_event_reads() {
    let (_d, store) = store();
    // Date order, over several batches of the date index walk.
    let all = check(&store, &Filter::default());
    assert!(all > 3000, "{all}");
    let some = check(
        &store,
        &Filter {
            limit: Some(700),
            ..Filter::default()
        },
    );
    assert_eq!(some, 700);
    // Rank order, read back on two connections (more than two batches).
    let minister = check(
        &store,
        &Filter {
            search: Some("minister".into()),
            ..Filter::default()
        },
    );
    assert!(minister > 1024, "{minister}");
    let found = check(
        &store,
        &Filter {
            search: Some("kamikawa".into()),
            ..Filter::default()
        },
    );
    assert_eq!(found, 2);
}
