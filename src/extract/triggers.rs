//! Event trigger words: which words in a clause say what kind of thing
//! happened. A compact, CAMEO-rooted verb (and noun) list, fresh for this
//! project.

use super::wordset::WordMap;
use std::sync::OnceLock;

use crate::model::EventKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trigger {
    pub kind: EventKind,
    /// A verb (an action told as such) rather than a noun ("talks").
    pub verb: bool,
    /// A speech verb: the event is what someone said.
    pub speech: bool,
}

/// The trigger list (kind, role, word), one place for every trigger word.
const TRIGGERS: &str = include_str!("../../assets/words/triggers.tsv");

fn forms(base: &str) -> Vec<String> {
    let mut v = vec![base.to_string()];
    let stem_e = base.strip_suffix('e');
    if let Some(st) = stem_e {
        v.push(format!("{base}s"));
        v.push(format!("{base}d"));
        v.push(format!("{st}ing"));
    } else if let Some(st) = base
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        v.push(format!("{st}ies"));
        v.push(format!("{st}ied"));
        v.push(format!("{base}ing"));
    } else {
        let es = if base.ends_with(['s', 'x', 'h']) {
            "es"
        } else {
            "s"
        };
        v.push(format!("{base}{es}"));
        v.push(format!("{base}ed"));
        v.push(format!("{base}ing"));
        // Doubled final consonant: "ban" -> "banned", "plan" -> "planned".
        let chars: Vec<char> = base.chars().collect();
        if chars.len() >= 3 {
            let n = chars.len();
            let vowel = |c: char| "aeiou".contains(c);
            if !vowel(chars[n - 1])
                && vowel(chars[n - 2])
                && !vowel(chars[n - 3])
                && !"wxy".contains(chars[n - 1])
            {
                let last = chars[n - 1];
                v.push(format!("{base}{last}ed"));
                v.push(format!("{base}{last}ing"));
            }
        }
    }
    v
}

#[inline]
fn table() -> &'static WordMap<Trigger> {
    static T: OnceLock<WordMap<Trigger>> = OnceLock::new();
    T.get_or_init(|| {
        let rows: Vec<(&str, &str, &str)> = crate::extract::times::words::rows(TRIGGERS)
            .filter_map(|cols| match cols.as_slice() {
                [kind, role, word] => Some((*kind, *role, *word)),
                _ => None,
            })
            .collect();
        let not: Vec<&str> = rows.iter().filter(|r| r.1 == "not").map(|r| r.2).collect();
        let blocked = |w: &str| not.contains(&w);
        let mut m = WordMap::default();
        // Nouns first so that a verb form with the same spelling wins.
        for &(kind, role, word) in &rows {
            if let (Some(kind), "noun") = (EventKind::parse(kind), role) {
                m.entry_or_insert_with(word.as_bytes(), || Trigger {
                    kind,
                    verb: false,
                    speech: false,
                });
            }
        }
        for &(kind, role, word) in &rows {
            let Some(kind) = EventKind::parse(kind) else {
                continue;
            };
            let speech = kind == EventKind::Statement;
            let t = Trigger {
                kind,
                verb: true,
                speech,
            };
            match role {
                "verb" => {
                    for f in forms(word) {
                        if !blocked(&f) {
                            m.insert(f.as_bytes(), t);
                        }
                    }
                }
                "form" if !blocked(word) => m.insert(word.as_bytes(), t),
                _ => {}
            }
        }
        // Nouns that double as verbs keep their noun sense only in these
        // cases; forms marked "not" are no trigger.
        for &(_, role, word) in &rows {
            if role == "noun-only" {
                if let Some(t) = m.get_mut(word.as_bytes()) {
                    t.verb = false;
                }
            }
        }
        m
    })
}

/// The trigger a (lower-cased) word stands for, if any.
/// The trigger of a word already in lower case.
#[inline]
pub fn lookup_lower(word: &str) -> Option<Trigger> {
    table().get(word.as_bytes()).copied()
}

pub fn lookup(word: &str) -> Option<Trigger> {
    table().get_lower(word).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of the trigger file names a known kind and role.
    #[test]
    fn trigger_file_is_well_formed() {
        let mut n = 0;
        for cols in crate::extract::times::words::rows(TRIGGERS) {
            let [kind, role, word] = cols.as_slice() else {
                panic!("bad trigger row {cols:?}");
            };
            assert!(
                *kind == "-" || EventKind::parse(kind).is_some(),
                "unknown kind {kind}"
            );
            assert!(
                matches!(*role, "verb" | "form" | "noun" | "noun-only" | "not"),
                "{role}"
            );
            assert_eq!(word.to_lowercase(), *word);
            n += 1;
        }
        assert!(n > 200);
    }

    #[test]
    fn verb_forms() {
        assert_eq!(lookup("met").map(|t| t.kind), Some(EventKind::Meet));
        assert_eq!(lookup("banned").map(|t| t.kind), Some(EventKind::Sanction));
        assert_eq!(lookup("urges").map(|t| t.kind), Some(EventKind::Appeal));
        assert_eq!(
            lookup("criticized").map(|t| t.kind),
            Some(EventKind::Criticize)
        );
        assert!(lookup("said").is_some_and(|t| t.speech));
        assert!(lookup("talks").is_some_and(|t| !t.verb));
        assert!(lookup("table").is_none());
        // Verb forms news uses as nouns are no trigger; their other forms are.
        assert!(lookup("state").is_none());
        assert!(lookup("stated").is_some_and(|t| t.speech));
    }
}
