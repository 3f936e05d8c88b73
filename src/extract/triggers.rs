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

/// (kind, regular verbs, irregular or extra verb forms, nouns)
type Row = (
    EventKind,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const ROWS: &[Row] = &[
    (
        EventKind::Statement,
        &[
            "announce",
            "state",
            "declare",
            "claim",
            "confirm",
            "tweet",
            "post",
            "report",
            "note",
            "stress",
            "explain",
            "add",
            "comment",
            "reiterate",
            "emphasize",
            "emphasise",
            "insist",
            "acknowledge",
            "admit",
            "reveal",
            "disclose",
            "describe",
            "hail",
            "praise",
            "welcome",
        ],
        &[
            "said", "says", "say", "saying", "told", "tells", "tell", "telling", "wrote", "writes",
            "write", "writing", "spoke", "speaking", "speaks",
        ],
        &["statement", "announcement", "remarks", "speech"],
    ),
    (
        EventKind::Appeal,
        &["appeal", "urge", "plead", "ask", "request", "implore"],
        &["called", "calling", "calls"],
        &["appeal", "plea", "request"],
    ),
    (
        EventKind::Demand,
        &["demand", "order", "require"],
        &["ordered"],
        &["demand", "demands", "ultimatum"],
    ),
    (
        EventKind::Intent,
        &[
            "pledge", "promise", "vow", "plan", "intend", "seek", "hope", "offer", "propose",
        ],
        &["will", "sought", "seeks", "seeking", "aims", "aim"],
        &["pledge", "promise", "proposal"],
    ),
    (
        EventKind::Meet,
        &[
            "meet",
            "host",
            "attend",
            "gather",
            "negotiate",
            "discuss",
            "consult",
        ],
        &["met", "meets", "meeting"],
        &[
            "talks",
            "meeting",
            "summit",
            "discussion",
            "discussions",
            "negotiations",
            "conference",
            "dinner",
        ],
    ),
    (
        EventKind::Visit,
        &["visit", "arrive", "travel", "tour"],
        &["flew"],
        &["visit", "trip", "tour"],
    ),
    (
        EventKind::Agree,
        &["agree", "sign", "approve", "ratify", "reach", "settle"],
        &[],
        &[
            "agreement",
            "deal",
            "accord",
            "treaty",
            "ceasefire",
            "truce",
        ],
    ),
    (
        EventKind::Cooperate,
        &[
            "cooperate",
            "normalize",
            "normalise",
            "recognize",
            "recognise",
            "restore",
            "support",
            "back",
            "ally",
            "partner",
        ],
        &["working"],
        &["cooperation", "partnership", "alliance"],
    ),
    (
        EventKind::Aid,
        &[
            "donate",
            "provide",
            "deliver",
            "evacuate",
            "repatriate",
            "rescue",
            "fund",
        ],
        &["brought", "gave", "give", "sent"],
        &["aid", "assistance", "donation", "repatriation", "relief"],
    ),
    (
        EventKind::Criticize,
        &[
            "criticize",
            "criticise",
            "condemn",
            "accuse",
            "blame",
            "denounce",
            "oppose",
            "allege",
            "slam",
            "decry",
            "complain",
            "protest",
        ],
        &[],
        &[
            "criticism",
            "condemnation",
            "accusation",
            "allegation",
            "allegations",
            "charges",
        ],
    ),
    (
        EventKind::Reject,
        &[
            "reject", "refuse", "deny", "veto", "withdraw", "dismiss", "decline", "boycott",
            "suspend", "cancel",
        ],
        &["withdrew", "withdrawn"],
        &["rejection", "refusal", "denial", "withdrawal"],
    ),
    (
        EventKind::Threaten,
        &["threaten", "warn", "caution"],
        &[],
        &["threat", "threats", "warning", "ultimatum"],
    ),
    (
        EventKind::Protest,
        &["march", "rally", "demonstrate"],
        &[],
        &[
            "protest",
            "protests",
            "protesters",
            "demonstration",
            "demonstrations",
            "demonstrators",
            "rally",
            "rallies",
        ],
    ),
    (
        EventKind::Sanction,
        &["sanction", "ban", "expel", "embargo", "blacklist", "freeze"],
        &["hit"],
        &["sanctions", "embargo", "ban", "expulsion", "tariffs"],
    ),
    (
        EventKind::Appoint,
        &["appoint", "name", "nominate", "promote", "install"],
        &["became", "sworn", "chose", "chosen"],
        &["appointment", "nomination"],
    ),
    (
        EventKind::Resign,
        &["resign", "quit", "retire"],
        &["stepped", "ousted"],
        &["resignation"],
    ),
    (
        EventKind::Elect,
        &["elect", "vote", "re-elect", "reelect"],
        &["won", "wins"],
        &["election", "elections", "vote", "referendum", "ballot"],
    ),
    (
        EventKind::Attack,
        &[
            "attack", "kill", "bomb", "shell", "invade", "strike", "rout", "fight", "shoot",
            "raid", "seize", "capture",
        ],
        &["fought", "shot", "struck", "fighting", "troops"],
        &[
            "attack",
            "attacks",
            "airstrike",
            "airstrikes",
            "offensive",
            "invasion",
            "fighting",
            "clashes",
            "war",
            "bombing",
            "shelling",
            "raid",
            "troops",
        ],
    ),
];

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

fn table() -> &'static WordMap<Trigger> {
    static T: OnceLock<WordMap<Trigger>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = WordMap::default();
        for &(kind, verbs, extra, nouns) in ROWS {
            let speech = kind == EventKind::Statement;
            // Nouns first so that a verb form with the same spelling wins.
            for n in nouns {
                m.entry_or_insert_with(n.as_bytes(), || Trigger {
                    kind,
                    verb: false,
                    speech: false,
                });
            }
            for v in verbs {
                for f in forms(v) {
                    m.insert(
                        f.as_bytes(),
                        Trigger {
                            kind,
                            verb: true,
                            speech,
                        },
                    );
                }
            }
            for f in extra {
                m.insert(
                    f.as_bytes(),
                    Trigger {
                        kind,
                        verb: true,
                        speech,
                    },
                );
            }
        }
        // Nouns that double as verbs keep their noun sense only in these cases.
        for n in ["meeting", "fighting", "troops"] {
            if let Some(t) = m.get_mut(n.as_bytes()) {
                t.verb = false;
            }
        }
        m
    })
}

/// The trigger a (lower-cased) word stands for, if any.
/// The trigger of a word already in lower case.
pub fn lookup_lower(word: &str) -> Option<Trigger> {
    table().get(word.as_bytes()).copied()
}

pub fn lookup(word: &str) -> Option<Trigger> {
    super::lexicon::with_lower(word, |l| table().get(l.as_bytes()).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
