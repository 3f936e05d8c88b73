//! Events: one per reported action or statement of a named actor.
//!
//! Each sentence with an actor (a person, an organisation, a country) and a
//! trigger word becomes an event: its kind from the first trigger of its
//! main clause, its date from the time expression of that clause. A
//! subordinate clause ("since X became minister in September") with its own
//! trigger, actor and date becomes an event of its own. A sentence with no
//! date of its own takes the last date of the same actor, or the story's lead
//! date, when either is within a week before publication; else the
//! publication date.

use chrono::{Datelike, Duration, NaiveDate};

use super::actors::{is_locative, Actor, ActorKind};
use super::countries::{self, CountryMention};
use super::officials::Registry;
use super::quotes::Quote;
use super::times::{TimeExpr, TimexType};
use super::tokens::Token;
use super::triggers::{self, Trigger};
use crate::model::EventKind;
use crate::span::Span;
use crate::text::{Doc, Sentence};

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub date: String,
    pub approximate: bool,
    /// The time expression the date came from.
    pub phrase: Option<Span>,
    pub countries: Vec<&'static str>,
    /// Indexes into the registry's persons (officials only).
    pub persons: Vec<usize>,
    pub location: Option<String>,
    pub quotes: Vec<usize>,
    pub evidence: Span,
    pub summary: String,
}

pub struct Input<'a> {
    pub doc: &'a Doc<'a>,
    pub registry: &'a Registry,
    pub actors: &'a [Actor],
    pub countries: &'a [CountryMention],
    pub quotes: &'a [Quote],
    pub times: &'a [TimeExpr],
    pub dct: NaiveDate,
    /// True when the publication date was guessed.
    pub dct_guess: bool,
    pub dateline: Option<&'a str>,
}

/// Words that open a subordinate clause (lower case). A `matches!` so the
/// test of every token compiles to a length switch, not a list scan.
fn is_subordinator(w: &str) -> bool {
    // Asked of every token of a sentence with an actor: the first byte and
    // length of each subordinator, read from one table, turn down most
    // words before any string comparison (a branch on the length, then on
    // the first byte, went either way from word to word).
    let first = w.as_bytes().first().copied().unwrap_or(0);
    let may_be = (SUBORDINATOR_LENGTHS[usize::from(first)] >> w.len().min(15)) & 1 != 0;
    may_be
        && matches!(
            w,
            "since"
                | "after"
                | "before"
                | "when"
                | "where"
                | "while"
                | "whom"
                | "who"
                | "which"
                | "because"
                | "although"
                | "though"
        )
}

/// For each first byte, the lengths (as bits) of the subordinators that
/// start with it.
const SUBORDINATOR_LENGTHS: [u16; 256] = {
    let mut t = [0u16; 256];
    t[b'w' as usize] = 1 << 3 | 1 << 4 | 1 << 5;
    t[b's' as usize] = 1 << 5;
    t[b'a' as usize] = 1 << 5 | 1 << 8;
    t[b'b' as usize] = 1 << 6 | 1 << 7;
    t[b't' as usize] = 1 << 6;
    t
};

/// Words before a time expression that make it a deadline or a starting
/// point rather than the moment of the event.
const NOT_EVENT_TIME: &[&str] = &["by", "until", "till", "through", "ahead", "before", "since"];

pub fn extract(inp: &Input) -> Vec<Event> {
    let text = inp.doc.text;
    let lower = &inp.doc.lower[..];
    let toks = &inp.doc.tokens[..];
    // The trigger each token stands for, looked up once, for the sentences
    // that get that far (most have no actor and are skipped).
    let mut trig_of: Vec<Option<Trigger>> = vec![None; toks.len()];
    let mut events: Vec<Event> = Vec::new();
    // (person, date) of each event that had a date, for later sentences.
    let mut last_by_person: Vec<(usize, String)> = Vec::new();
    let mut lead: Option<String> = None;
    // The fallback date of many events, formatted once.
    let dct_value = inp.dct.to_string();
    // Most articles hold no junk phrase at all: one search of the whole
    // text spares the search of each sentence (a phrase in a sentence is
    // in the text).
    let marks_in_text = JUNK_MARKS.is_match(lower);
    // The sentences come in text order: each list is swept once.
    let (mut quote_sweep, mut actor_sweep, mut time_sweep) =
        (Sweep::default(), Sweep::default(), Sweep::default());
    // Per-sentence lists, emptied and refilled for each sentence rather
    // than allocated anew: most sentences that get this far fill them.
    let mut clause_buf: Vec<(Span, bool)> = Vec::new();
    let mut main_buf: Vec<Span> = Vec::new();
    let mut times_main: Vec<&TimeExpr> = Vec::new();
    let mut dating: Vec<&TimeExpr> = Vec::new();

    for sent in &inp.doc.sentences {
        let s = sent.span;
        // Everything below looks only at the items of this sentence: each
        // list is sorted by position, so a sweep along it finds them.
        let quotes_here = quote_sweep.window(inp.quotes, s, |q| q.outer);
        // A sentence inside a quote that began in an earlier sentence
        // belongs to that sentence's event.
        if quotes_here
            .clone()
            .any(|i| inp.quotes[i].outer.start < s.start && inp.quotes[i].outer.end > s.start)
        {
            continue;
        }
        let in_quote = |pos: usize| {
            quotes_here
                .clone()
                .any(|i| inp.quotes[i].outer.contains_pos(pos))
        };
        let actors_here = &inp.actors[actor_sweep.window(inp.actors, s, |a| a.span)];
        let has_actor = actors_here
            .iter()
            .any(|a| s.contains(a.span) && !in_quote(a.span.start) && is_agent(text, a));
        let quote_here: Vec<usize> = quotes_here.clone().collect();
        let spoken = quote_here.iter().any(|&i| inp.quotes[i].speaker.is_some());
        // Only sentences with a quotation are looked at for such a speaker:
        // they are few, and they are where unrecognised speakers talk.
        let has_actor = has_actor
            || (!quote_here.is_empty() && speaker_subject(text, lower, toks, sent, &in_quote));
        if !has_actor && !spoken {
            continue;
        }
        if is_junk(s.slice(text), s.slice(lower), marks_in_text) {
            continue;
        }
        // A quote sentence with no attribution of its own that goes on
        // with the same speaker in the same paragraph ("...," she said.
        // "And ...") is more of the statement before it, not a new one.
        if !has_actor {
            if let Some(prev) = events.last_mut() {
                if continues_statement(text, inp.quotes, prev, s, &quote_here) {
                    for &i in &quote_here {
                        if !prev.quotes.contains(&i) {
                            prev.quotes.push(i);
                        }
                    }
                    continue;
                }
            }
        }

        let range = sent.tokens.clone();
        for k in range.clone() {
            trig_of[k] = triggers::lookup_lower(toks[k].text(lower));
        }
        clauses(lower, toks, range.clone(), s, &mut clause_buf);
        main_buf.clear();
        main_buf.extend(clause_buf.iter().filter(|c| !c.1).map(|c| c.0));
        let main = &main_buf;
        let in_main = |pos: usize| main.iter().any(|c| c.contains_pos(pos));

        let trig = first_trigger(&trig_of, toks, range.clone(), &in_quote, &in_main)
            .or_else(|| first_trigger(&trig_of, toks, range.clone(), &in_quote, &|_| true));

        let times_here = &inp.times[time_sweep.window(inp.times, s, |t| t.span)];
        times_main.clear();
        times_main.extend(times_here.iter().filter(|t| {
            s.contains(t.span)
                && in_main(t.span.start)
                && !in_quote(t.span.start)
                && is_event_time(text, t)
        }));

        let (kind, trig_pos) = match trig {
            Some((t, pos)) => (t.kind, pos),
            None if spoken => (EventKind::Statement, s.start),
            None if has_actor && !times_main.is_empty() => (EventKind::Other, s.start),
            None => continue,
        };
        let refined = refine_kind(text, lower, toks, kind, trig_pos);
        // A trigger that the words around it turn into no act at all
        // ("attended university", "hit hard by") leaves an event only when
        // the sentence has a time of its own.
        if refined == EventKind::Other && kind != EventKind::Other && times_main.is_empty() {
            continue;
        }
        let kind = refined;

        let persons = officials_in(inp, s);
        let people = people_in(inp, s);
        let speech = trig.is_some_and(|(t, _)| t.speech);
        let past_verb = trig.is_some() && is_past_form(toks, lower, trig_pos);
        dating.clear();
        dating.extend(times_main.iter().copied().filter(|t| {
            let said = speech && reported_time(lower, trig_pos, t);
            let later = past_verb && after_dct(&t.value, inp.dct);
            !said && !later
        }));
        let own = nearest(&dating, trig_pos);
        let present = present_tense(text, lower, toks, &trig_of, range.clone());
        let (date, phrase, from_text) = match own {
            Some(t) => (t.value.clone(), Some(t.span), true),
            None => {
                let window = |v: &String| in_window(v, inp.dct);
                // The same person's last act, when recent: a day of the
                // week before publication, this week, or this or last month
                // ("Wilson said last month ... He pledged ...").
                let by_person = people.iter().find_map(|p| {
                    last_by_person
                        .iter()
                        .rev()
                        .find(|(q, d)| q == p && recent(d, inp.dct))
                        .map(|(_, d)| d.clone())
                });
                let d = if present {
                    None
                } else {
                    by_person.or_else(|| lead.clone().filter(window))
                };
                (d.unwrap_or_else(|| dct_value.clone()), None, false)
            }
        };
        // "was born in 1968", "After earning her degree in 1995, ...": a
        // bare past year with no act of its own is background.
        if from_text && kind == EventKind::Other && is_past_year(&date, inp.dct) {
            continue;
        }
        // A time of day ("Friday afternoon") dates its own sentence only:
        // what spreads to later sentences is the day.
        let day = day_part(&date);
        if from_text && lead.is_none() && in_window(day, inp.dct) {
            lead = Some(day.to_string());
        }
        for p in &people {
            last_by_person.push((*p, day.to_string()));
        }
        events.push(make_event(
            inp,
            kind,
            date,
            false,
            phrase,
            s,
            &persons,
            &quote_here,
        ));

        // Subordinate clauses with their own trigger, actor and date.
        for &(cspan, sub) in &clause_buf {
            if !sub {
                continue;
            }
            let in_clause = |pos: usize| cspan.contains_pos(pos);
            let Some((t, pos)) = first_trigger(
                &trig_of,
                toks,
                tokens_in(toks, cspan),
                &in_quote,
                &in_clause,
            ) else {
                continue;
            };
            if !t.verb {
                continue;
            }
            let ctimes: Vec<&TimeExpr> = inp
                .times
                .iter()
                .filter(|x| {
                    cspan.contains(x.span) && !in_quote(x.span.start) && is_event_time(text, x)
                })
                .collect();
            let Some(ct) = nearest(&ctimes, pos) else {
                continue;
            };
            if !inp
                .actors
                .iter()
                .any(|a| cspan.contains(a.span) && is_agent(text, a))
            {
                continue;
            }
            let kind = refine_kind(text, lower, toks, t.kind, pos);
            let cp = officials_in(inp, cspan);
            let cq: Vec<usize> = quote_here
                .iter()
                .copied()
                .filter(|&i| inp.quotes[i].outer.overlaps(cspan))
                .collect();
            events.push(make_event(
                inp,
                kind,
                ct.value.clone(),
                true,
                Some(ct.span),
                cspan,
                &cp,
                &cq,
            ));
        }
    }
    events
}

/// The sentence `s` is only more quotation of the speaker of `prev`, in the
/// same paragraph: it opens with a quotation mark and its quotes have
/// `prev`'s speaker.
fn continues_statement(
    text: &str,
    quotes: &[Quote],
    prev: &Event,
    s: Span,
    here: &[usize],
) -> bool {
    let opens_quote = s
        .slice(text)
        .trim_start()
        .starts_with(['"', '\u{201c}', '\u{2018}', '\'']);
    let same_paragraph = prev.evidence.end <= s.start
        && text
            .get(prev.evidence.end..s.start)
            .is_some_and(|g| !g.contains('\n'));
    let speaker = |i: &usize| quotes[*i].speaker.as_deref();
    let prev_speakers: Vec<&str> = prev.quotes.iter().filter_map(speaker).collect();
    opens_quote
        && same_paragraph
        && !here.is_empty()
        && here
            .iter()
            .all(|i| speaker(i).is_some_and(|sp| prev_speakers.contains(&sp)))
}

/// Lines that are not news: page furniture that reached the text, one-word
/// or empty summaries, transcript marks, photo captions.
/// `lower` is `sentence` with ASCII letters lower-cased (`Doc::lower`);
/// `marks_in_text`: some junk phrase occurs in the sentence's whole text.
fn is_junk(sentence: &str, lower: &str, marks_in_text: bool) -> bool {
    if marks_in_text && JUNK_MARKS.is_match(lower) {
        return true;
    }
    // Words left once bracketed transcript marks ("[inaudible]") are taken out.
    let mut words = 0;
    let mut depth = 0usize;
    for w in sentence.split_whitespace() {
        if w.starts_with('[') {
            depth += 1;
        }
        if depth == 0 && w.chars().any(char::is_alphanumeric) {
            words += 1;
            if words >= 2 {
                return false;
            }
        }
        if w.ends_with(']') {
            depth = depth.saturating_sub(1);
        }
    }
    true
}

/// Phrases of lines that are page furniture or digests, not news.
const JUNK: &str = include_str!("../../assets/words/junk-events.txt");

/// The junk phrases and the caption marks ("Jane Doe, left, walks with
/// ..."), in lower case, searched in a sentence's ASCII-lower-cased form:
/// the same matches as an ASCII case-insensitive search.
struct JunkMarks {
    /// A SIMD substring searcher (Teddy). Most event sentences go through
    /// this test, and the phrases start with common letters ("con", "you",
    /// "our"), which keep an automaton stepping byte by byte; Teddy checks
    /// the candidates it finds with a comparison instead.
    packed: Option<aho_corasick::packed::Searcher>,
    /// The same phrases as an automaton, for machines without the SIMD
    /// instructions Teddy needs.
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl JunkMarks {
    fn new() -> JunkMarks {
        let captions = [
            ", left,",
            ", right,",
            ", center,",
            ", centre,",
            "(left)",
            "(right)",
            "(center)",
            "(centre)",
        ];
        let phrases: Vec<String> = super::times::words::rows(JUNK)
            .filter_map(|c| c.first().copied())
            .chain(captions)
            .map(str::to_ascii_lowercase)
            .collect();
        JunkMarks {
            packed: aho_corasick::packed::Searcher::new(&phrases),
            automaton: aho_corasick::AhoCorasick::new(&phrases).ok(),
        }
    }

    /// Some phrase occurs in `lower`.
    fn is_match(&self, lower: &str) -> bool {
        match &self.packed {
            Some(p) => p.find(lower).is_some(),
            None => self.automaton.as_ref().is_some_and(|a| a.is_match(lower)),
        }
    }
}

static JUNK_MARKS: std::sync::LazyLock<JunkMarks> = std::sync::LazyLock::new(JunkMarks::new);

#[allow(clippy::too_many_arguments)]
fn make_event(
    inp: &Input,
    kind: EventKind,
    date: String,
    clause: bool,
    phrase: Option<Span>,
    evidence: Span,
    persons: &[usize],
    quotes: &[usize],
) -> Event {
    let text = inp.doc.text;
    let vague = date.ends_with("_REF") || date.len() < 10;
    let (countries, location) = countries_and_location(inp, evidence, persons);
    Event {
        kind,
        approximate: inp.dct_guess || vague,
        date,
        phrase,
        countries,
        persons: persons.to_vec(),
        location: location.or_else(|| inp.dateline.map(str::to_string)),
        quotes: quotes.to_vec(),
        evidence,
        summary: summarize(text, evidence, inp, clause),
    }
}

/// `window` over one list for spans asked in text order (the sentences):
/// its two bounds only move forward, so the whole sweep costs one pass over
/// the list instead of two binary searches a sentence.
#[derive(Default)]
struct Sweep {
    /// The first item that starts at or after the last span's start.
    from: usize,
    /// The first item that starts at or after the last span's end.
    to: usize,
    #[cfg(debug_assertions)]
    last: Option<Span>,
}

impl Sweep {
    /// `window(items, span, at)`; `span` may not start or end before the
    /// span of the call before.
    fn window<T>(
        &mut self,
        items: &[T],
        span: Span,
        at: impl Fn(&T) -> Span,
    ) -> std::ops::Range<usize> {
        #[cfg(debug_assertions)]
        {
            debug_assert!(self
                .last
                .is_none_or(|l| l.start <= span.start && l.end <= span.end));
            self.last = Some(span);
        }
        while self.from < items.len() && at(&items[self.from]).start < span.start {
            self.from += 1;
        }
        let mut a = self.from;
        // Step back over items that start before the span and reach into it.
        while a > 0 && at(&items[a - 1]).end > span.start {
            a -= 1;
        }
        self.to = self.to.max(self.from);
        while self.to < items.len() && at(&items[self.to]).start < span.end {
            self.to += 1;
        }
        a..self.to.max(a)
    }
}

/// The indexes of the items of a position-sorted list that overlap `span`.
fn window<T>(items: &[T], span: Span, at: impl Fn(&T) -> Span) -> std::ops::Range<usize> {
    let mut a = items.partition_point(|x| at(x).start < span.start);
    // Step back over items that start before the span and reach into it.
    while a > 0 && at(&items[a - 1]).end > span.start {
        a -= 1;
    }
    let b = items.partition_point(|x| at(x).start < span.end);
    a..b.max(a)
}

/// `text[..pos].trim_end().ends_with(',')`, asked of every token of a
/// sentence: walks back over ASCII spaces byte by byte instead of trimming
/// a slice each time, and leaves any other byte to the Unicode rules.
fn follows_comma(text: &str, pos: usize) -> bool {
    let Some(before) = text.get(..pos) else {
        return false;
    };
    for &c in before.as_bytes().iter().rev() {
        match c {
            b',' => return true,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => {}
            c if c.is_ascii() => return false,
            _ => return before.trim_end().ends_with(','),
        }
    }
    false
}

fn tokens_in(toks: &[Token], span: Span) -> std::ops::Range<usize> {
    let a = toks.partition_point(|t| t.span.start < span.start);
    let b = toks.partition_point(|t| t.span.start < span.end);
    a..b.max(a)
}

/// The sentence cut into clauses, written into `out`: (span,
/// is_subordinate). A subordinate clause runs from its subordinator to the
/// next comma or the end.
fn clauses(
    text: &str,
    toks: &[Token],
    range: std::ops::Range<usize>,
    sent: Span,
    out: &mut Vec<(Span, bool)>,
) {
    out.clear();
    let mut cur = sent.start;
    let mut k = range.start;
    while k < range.end {
        let w = toks[k].text(text);
        // ", launched in 2022, ": a participle set off by a comma opens a
        // clause of its own, like a subordinator does. The word's own
        // tests come first: most words end in no "-ed", and the walk back
        // to a comma is then not needed. They are joined by `&`, not `&&`:
        // the length test alone goes either way from word to word, the two
        // together are rarely true.
        let participle = (w.len() > 4) & w.ends_with("ed")
            && follows_comma(text, toks[k].span.start)
            && !super::lexicon::is_speech_verb(w)
            && text
                .get(toks[k].span.end..sent.end)
                .is_some_and(|r| r.contains(','));
        // A sentence that opens with "Since ...," names a starting point
        // in that clause, not the time of the main clause's act.
        let opening_since = k == range.start && w == "since";
        if (k > range.start && (is_subordinator(w) || participle)) || opening_since {
            let start = toks[k].span.start;
            // The clause ends at the next comma (outside this word) or the sentence end.
            let end = text
                .get(start..sent.end)
                .and_then(|r| r.find([',', ';']))
                .map(|i| start + i)
                .unwrap_or(sent.end);
            if start > cur {
                out.push((Span::new(cur, start), false));
            }
            out.push((Span::new(start, end), true));
            cur = end;
            k = tokens_in(toks, Span::new(end, sent.end)).start.max(k + 1);
            continue;
        }
        k += 1;
    }
    if cur < sent.end {
        out.push((Span::new(cur, sent.end), false));
    }
}

/// The trigger of a clause: its first verb trigger, except that an intent
/// ("will", "plans to") yields to the action verb that follows it ("will
/// attend talks" is a meeting); a noun trigger ("the meeting", "a warning")
/// only when the clause has no verb trigger.
fn first_trigger(
    trig_of: &[Option<Trigger>],
    toks: &[Token],
    range: std::ops::Range<usize>,
    in_quote: &dyn Fn(usize) -> bool,
    allowed: &dyn Fn(usize) -> bool,
) -> Option<(Trigger, usize)> {
    let mut verb: Option<(Trigger, usize)> = None;
    let mut noun: Option<(Trigger, usize)> = None;
    for k in range {
        let Some(tr) = trig_of[k] else {
            continue;
        };
        let t = &toks[k];
        if in_quote(t.span.start) || !allowed(t.span.start) {
            continue;
        }
        if !tr.verb {
            noun = noun.or(Some((tr, t.span.start)));
            continue;
        }
        match verb {
            None => {
                verb = Some((tr, t.span.start));
                if tr.kind != EventKind::Intent {
                    return verb;
                }
            }
            Some(_) if !tr.speech && tr.kind != EventKind::Intent => {
                return Some((tr, t.span.start))
            }
            Some(_) => {}
        }
    }
    verb.or(noun)
}

/// Adjusts a trigger's kind by the words right after it: "warned that"
/// reports speech, "called for" and "called on" appeal, "called" alone is
/// not an event kind of its own.
/// `lower` is the text with ASCII letters lower-cased (`Doc::lower`).
fn refine_kind(text: &str, lower: &str, toks: &[Token], kind: EventKind, pos: usize) -> EventKind {
    let k = toks.partition_point(|t| t.span.start < pos);
    let next = toks.get(k + 1).map_or("", |t| t.text(lower));
    let word = toks.get(k).map_or("", |t| t.text(lower));
    let soon = |words: &[&str], n: usize| {
        toks.iter()
            .skip(k + 1)
            .take(n)
            .any(|t| words.iter().any(|w| t.text(text).eq_ignore_ascii_case(w)))
    };
    // "struck a deal": an agreement, not an attack.
    if matches!(word, "strike" | "strikes" | "struck" | "striking")
        && soon(
            &[
                "deal",
                "agreement",
                "accord",
                "bargain",
                "compromise",
                "truce",
                "ceasefire",
            ],
            3,
        )
    {
        return EventKind::Agree;
    }
    // "an appeals court": a court, not an appeal.
    if kind == EventKind::Appeal
        && matches!(next, "court" | "courts" | "judge" | "judges" | "panel")
    {
        return EventKind::Other;
    }
    // "added to the list": not speech ("..., she added" is).
    if kind == EventKind::Statement && word.starts_with("add") && matches!(next, "to" | "into") {
        return EventKind::Other;
    }
    // "attended university", "attended Harvard Law School": schooling.
    if kind == EventKind::Meet
        && word.starts_with("attend")
        && soon(
            &[
                "university",
                "college",
                "school",
                "academy",
                "seminary",
                "undergrad",
            ],
            4,
        )
    {
        return EventKind::Other;
    }
    // "hit hard by": suffered, not acted.
    if matches!(word, "hit" | "hits") && next == "hard" {
        return EventKind::Other;
    }
    match kind {
        // "hit X with sanctions" is a sanction; "floods hit" is not.
        EventKind::Sanction
            if matches!(word, "hit" | "hits")
                && !soon(
                    &[
                        "sanctions",
                        "tariffs",
                        "penalties",
                        "embargo",
                        "fines",
                        "ban",
                    ],
                    8,
                ) =>
        {
            EventKind::Other
        }
        EventKind::Threaten if next == "that" => EventKind::Statement,
        // "ordered troops into ...": a use of force, not a demand.
        EventKind::Demand
            if matches!(
                next,
                "troops" | "forces" | "strikes" | "airstrikes" | "attacks" | "an" | "the"
            ) && toks.get(k + 2).is_some_and(|t| {
                matches!(
                    t.text(lower),
                    "troops"
                        | "forces"
                        | "strikes"
                        | "airstrikes"
                        | "attack"
                        | "offensive"
                        | "in"
                        | "into"
                        | "to"
                )
            }) =>
        {
            EventKind::Attack
        }
        EventKind::Appeal if word.starts_with("call") && !matches!(next, "for" | "on" | "upon") => {
            EventKind::Statement
        }
        EventKind::Appoint if word == "name" || word == "named" => {
            if matches!(next, "as" | "the" | "a")
                || toks.get(k + 1).is_some_and(|t| t.is_capitalized(text))
            {
                kind
            } else {
                EventKind::Statement
            }
        }
        k => k,
    }
}

/// An actor that can act: a person, an organisation phrase, or a country
/// that is not only a place ("in South Korea").
fn is_agent(text: &str, a: &Actor) -> bool {
    if in_dateline(text, a.span) {
        return false;
    }
    match a.kind {
        ActorKind::Person(_) | ActorKind::Org => true,
        ActorKind::Country(_) => !is_locative(text, a.span),
    }
}

/// A speech verb with a person for its subject outside any quote: "he
/// said", "Goldstein tweeted", "said Ruiz": someone the text names (or
/// refers to) spoke, though no official or organisation is recognised.
fn speaker_subject(
    text: &str,
    lower: &str,
    toks: &[Token],
    sent: &Sentence,
    in_quote: &dyn Fn(usize) -> bool,
) -> bool {
    let s = sent.span;
    let range = sent.tokens.clone();
    for k in range.clone() {
        let t = &toks[k];
        if in_quote(t.span.start) {
            continue;
        }
        let Some(tr) = triggers::lookup_lower(t.text(lower)) else {
            continue;
        };
        if !tr.speech || !tr.verb {
            continue;
        }
        let person = |j: usize| {
            toks.get(j).is_some_and(|p| {
                range.contains(&j)
                    && !in_quote(p.span.start)
                    && (matches!(p.text(lower), "he" | "she")
                        || (p.is_capitalized(text)
                            && p.span.start > s.start
                            && triggers::lookup_lower(p.text(lower)).is_none()))
            })
        };
        if (k > 0 && person(k - 1)) || person(k + 1) {
            return true;
        }
    }
    false
}

/// "WASHINGTON – ...", "LONDON, May 3 -": a place in capitals opening a
/// paragraph before a dash or comma is the dateline, not an actor.
fn in_dateline(text: &str, span: Span) -> bool {
    // What follows the actor first: it rules out almost every actor
    // without the walk back to the start of its line.
    let rest = text.get(span.end..).unwrap_or("").trim_start();
    if !rest.starts_with(['\u{2013}', '\u{2014}', '-', ',', '(']) {
        return false;
    }
    let line_start = text
        .get(..span.start)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    let head = text.get(line_start..span.end).unwrap_or("");
    head.chars().any(char::is_alphabetic) && !head.chars().any(char::is_lowercase)
}

fn is_event_time(text: &str, t: &TimeExpr) -> bool {
    if !matches!(t.kind, TimexType::Date | TimexType::Time) {
        return false;
    }
    if !t.value.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let before = text.get(..t.span.start).unwrap_or("");
    let mut prev = before.split_whitespace().rev();
    let last = prev.next().unwrap_or_default();
    let second = prev.next().unwrap_or_default();
    let deadline = NOT_EVENT_TIME.iter().any(|w| last.eq_ignore_ascii_case(w));
    // "a 1991 law", "the 2012 ruling", "her 2019 appointment": a year that
    // qualifies a noun names when that thing began, not this act.
    let bare_year = t.value.len() == 4;
    if bare_year && (in_words(&year_words().qualifiers, last) || qualifies_next(text, t, last)) {
        return false;
    }
    // "by a year-end deadline"
    let by_a = (last.eq_ignore_ascii_case("a") || last.eq_ignore_ascii_case("an"))
        && second.eq_ignore_ascii_case("by");
    !deadline && !by_a
}

/// The word lists that tell a year qualifying a noun from a year dating
/// the act (assets/words/year_*.txt).
struct YearWords {
    qualifiers: Vec<&'static str>,
    adverbials: Vec<&'static str>,
}

fn year_words() -> &'static YearWords {
    static W: std::sync::OnceLock<YearWords> = std::sync::OnceLock::new();
    W.get_or_init(|| YearWords {
        qualifiers: super::lexicon::entries(include_str!("../../assets/words/year_qualifiers.txt"))
            .collect(),
        adverbials: super::lexicon::entries(include_str!("../../assets/words/year_adverbials.txt"))
            .collect(),
    })
}

fn in_words(list: &[&str], w: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// A bare year between a word and a noun, with no preposition before it
/// that would make it a time adverbial: "Trump As 2024 Nominee" (a
/// headline drops the article), "Biden's 2020 win", "the Paris 2024
/// Olympics". `last` is the word before the year; a word ending in
/// punctuation ("said.") or nothing before it leaves the year a date.
fn qualifies_next(text: &str, t: &TimeExpr, last: &str) -> bool {
    // Only a year written in digits ("last year he announced" is a date).
    let written = text.get(t.span.start..t.span.end).unwrap_or("");
    if written.len() != 4 || !written.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let word_before = !last.is_empty()
        && last
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '\u{2019}');
    let after = text.get(t.span.end..).unwrap_or("");
    let noun_after = after.starts_with(' ')
        && after
            .trim_start_matches(' ')
            .starts_with(|c: char| c.is_alphabetic());
    word_before && noun_after && !in_words(&year_words().adverbials, last)
}

/// The day of a value with a time of day (`2020-07-17TAF` -> `2020-07-17`).
fn day_part(v: &str) -> &str {
    match v.as_bytes().get(10) {
        Some(b'T') => &v[..10],
        _ => v,
    }
}

/// A bare year (`1968`) before the publication year.
fn is_past_year(v: &str, dct: NaiveDate) -> bool {
    v.len() == 4 && v.parse::<i32>().is_ok_and(|y| y < dct.year())
}

/// The value names a time that begins after the publication day: a year,
/// month or day later than it.
fn after_dct(v: &str, dct: NaiveDate) -> bool {
    let num = |r: std::ops::Range<usize>| v.get(r).and_then(|x| x.parse::<u32>().ok());
    let Some(y) = num(0..4) else {
        return false;
    };
    let y = y as i32;
    if y != dct.year() {
        return y > dct.year();
    }
    match (num(5..7), num(8..10)) {
        (Some(m), Some(d)) => (m, d) > (dct.month(), dct.day()),
        (Some(m), None) if v.as_bytes().get(5).is_some_and(u8::is_ascii_digit) => m > dct.month(),
        _ => false,
    }
}

/// The trigger at `pos` is a past form ("offered", "said").
fn is_past_form(toks: &[Token], lower: &str, pos: usize) -> bool {
    let k = toks.partition_point(|t| t.span.start < pos);
    toks.get(k).is_some_and(|t| is_past_word(t.text(lower)))
}

fn is_past_word(w: &str) -> bool {
    // A set, not the list: this runs for words between a verb and a time.
    static PAST: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| {
            super::times::words::tense_list("irregular-past")
                .into_iter()
                .collect()
        });
    (w.len() > 3 && w.ends_with("ed")) || PAST.contains(&w)
}

/// A time after a speech verb that belongs to what was said, not to the
/// saying: past "that" or a colon ("said that talks would resume in May"),
/// past a modal or auxiliary ("said the talks would resume in May"), or a
/// year or month past another verb ("said the deal signed in 2015 was
/// dead"). "said on Friday", "said in a statement Friday", "said during a
/// hearing last month" keep their date, and so does a time in a closing
/// "according to" ("..., according to court filings Friday").
/// `lower` is the text with ASCII letters lower-cased (`Doc::lower`).
fn reported_time(lower: &str, trig_pos: usize, t: &TimeExpr) -> bool {
    if t.span.start <= trig_pos {
        return false;
    }
    let Some(gap) = lower.get(trig_pos..t.span.start) else {
        return false;
    };
    // The words after the trigger word itself, and after the last
    // "according to" (an attribution of its own).
    let mut gap = gap.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    if let Some(i) = gap.rfind("according to ") {
        gap = gap.get(i + 13..).unwrap_or("");
    }
    if gap.contains(':') {
        return true;
    }
    let coarse = t.value.len() <= 7 && t.value.starts_with(|c: char| c.is_ascii_digit());
    gap.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        matches!(
            w,
            "that"
                | "will"
                | "would"
                | "could"
                | "should"
                | "might"
                | "can"
                | "is"
                | "are"
                | "was"
                | "were"
                | "has"
                | "have"
                | "had"
        ) || (coarse && is_past_word(w))
    })
}

fn nearest<'a>(times: &[&'a TimeExpr], pos: usize) -> Option<&'a TimeExpr> {
    times.iter().copied().min_by_key(|t| {
        if t.span.start >= pos {
            t.span.start - pos
        } else {
            pos - t.span.end
        }
    })
}

/// A day within the week up to publication.
fn in_window(value: &str, dct: NaiveDate) -> bool {
    iso_day(value).is_some_and(|d| d <= dct && d >= dct - Duration::days(7))
}

/// The day of a TIMEX value that starts with `YYYY-MM-DD`. Runs for every
/// dated event, so it reads the digits directly instead of going through a
/// format string.
fn iso_day(value: &str) -> Option<NaiveDate> {
    let b = value.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// "says", "is calling", "has said": a statement of the publication day.
/// `trig_of` holds the trigger of each token of `range` (looked up in lower case).
fn present_tense(
    orig: &str,
    text: &str,
    toks: &[Token],
    trig_of: &[Option<Trigger>],
    range: std::ops::Range<usize>,
) -> bool {
    let end = range.end;
    for k in range {
        let w = toks[k].text(text);
        let next = if k + 1 < end {
            toks[k + 1].text(text)
        } else {
            ""
        };
        if matches!(w, "says" | "tells" | "urges" | "warns") {
            return true;
        }
        // "the suit asserts", "the report claims": a speech verb in the present.
        // The trigger first: most words have none, and the spelling tests
        // alone go either way from word to word.
        if trig_of[k].is_some_and(|t| t.speech && t.verb)
            && w.len() > 3
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !toks[k].is_capitalized(orig)
        {
            return true;
        }
        if matches!(w, "is" | "are") && next.ends_with("ing") {
            return true;
        }
        if matches!(w, "has" | "have") && (next.ends_with("ed") || triggers::lookup(next).is_some())
        {
            return true;
        }
    }
    false
}

/// Every person the span names or quotes, officials or not.
fn people_in(inp: &Input, span: Span) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for m in &inp.registry.mentions[window(&inp.registry.mentions, span, |m| m.span)] {
        if span.contains(m.span) && !out.contains(&m.person) {
            out.push(m.person);
        }
    }
    for q in &inp.quotes[window(inp.quotes, span, |q| q.outer)] {
        if let Some(p) = q.person {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// A date recent enough to carry over to the same person's next act: a
/// day of the week before publication, the week of publication, or the
/// month of publication or the one before.
fn recent(value: &str, dct: NaiveDate) -> bool {
    if in_window(value, dct) {
        return true;
    }
    let w = dct.iso_week();
    if value == format!("{}-W{:02}", w.year(), w.week()) {
        return true;
    }
    let month = |d: NaiveDate| format!("{:04}-{:02}", d.year(), d.month());
    let prev = dct.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(dct);
    value == month(dct) || value == month(prev)
}

fn officials_in(inp: &Input, span: Span) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for m in &inp.registry.mentions[window(&inp.registry.mentions, span, |m| m.span)] {
        if !span.contains(m.span) {
            continue;
        }
        if inp.registry.persons[m.person].official && !out.contains(&m.person) {
            out.push(m.person);
        }
    }
    for q in &inp.quotes[window(inp.quotes, span, |q| q.outer)] {
        if let Some(p) = q.person {
            if inp.registry.persons[p].official && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

fn countries_and_location(
    inp: &Input,
    span: Span,
    persons: &[usize],
) -> (Vec<&'static str>, Option<String>) {
    let text = inp.doc.text;
    let mut codes: Vec<&'static str> = Vec::new();
    let mut location = None;
    for c in inp.countries[window(inp.countries, span, |c| c.span)]
        .iter()
        .filter(|c| span.contains(c.span))
    {
        if is_locative(text, c.span) && c.cue != countries::Cue::Demonym {
            if location.is_none() {
                location = Some(c.span.slice(text).to_string());
            }
            continue;
        }
        if !codes.contains(&c.code) {
            codes.push(c.code);
        }
    }
    for &p in persons {
        if let Some(c) = inp.registry.persons[p].country {
            if !codes.contains(&c) {
                codes.push(c);
            }
        }
    }
    (codes, location)
}

/// True when `s` has no whitespace but single ASCII spaces between words, so
/// that collapsing its whitespace would leave it as it is.
fn is_tidy(s: &str) -> bool {
    use super::swar;
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    // Eight bytes at a time while they hold no byte that may start other
    // whitespace (ASCII controls, non-ASCII lead bytes) and no two spaces
    // in a row; the byte walk below takes over from the first chunk that
    // does (every event's evidence is tested, and most is plain ASCII).
    let mut i = 0;
    let mut prev_space = false;
    while let Some(x) = swar::chunk(b, i) {
        let odd = swar::ascii_within(x, 0x09, 0x0D) | swar::lead_mask(x);
        let spaces = swar::ascii_within(x, b' ', b' ');
        let doubled = spaces & ((spaces << 8) | u64::from(prev_space) << 7);
        if odd != 0 || doubled != 0 {
            break;
        }
        prev_space = spaces >> 63 != 0;
        i += 8;
    }
    is_tidy_from(s, i, prev_space)
}

/// `is_tidy` of `s[from..]`, a byte at a time, `prev_space` telling
/// whether the byte before `from` is a space.
fn is_tidy_from(s: &str, from: usize, mut prev_space: bool) -> bool {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate().skip(from) {
        if !MAY_START_SPACE[usize::from(c)] {
            prev_space = false;
        } else if c == b' ' {
            if prev_space {
                return false;
            }
            prev_space = true;
        } else if space_at(s, i).is_some() {
            return false;
        } else {
            prev_space = false;
        }
    }
    true
}

/// Bytes that may start a whitespace char: the ASCII ones and the lead
/// bytes of the non-ASCII ones (U+0085, U+00A0, U+1680, U+2000.., U+3000).
const MAY_START_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let bytes: [u8; 10] = [
        b' ', b'\t', b'\n', 0x0B, 0x0C, b'\r', 0xC2, 0xE1, 0xE2, 0xE3,
    ];
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        k += 1;
    }
    t
};

/// The byte length of the whitespace char at byte `i`, if there is one
/// there. `i` may be inside a char: continuation bytes are not whitespace.
#[inline(always)]
fn space_at(s: &str, i: usize) -> Option<usize> {
    match s.as_bytes()[i] {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => Some(1),
        0..0x80 => None,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => {
            let c = s.get(i..)?.chars().next()?;
            c.is_whitespace().then(|| c.len_utf8())
        }
        _ => None,
    }
}

/// The evidence as one readable line: whitespace collapsed, a leading
/// pronoun replaced by the person's name, a leading subordinator dropped,
/// cut at a word boundary.
fn summarize(text: &str, evidence: Span, inp: &Input, clause: bool) -> String {
    const MAX: usize = 160;
    let raw = evidence.slice(text);
    // The evidence with its whitespace collapsed: most sentences already
    // are, and are used as they stand.
    let collapsed: std::borrow::Cow<str> = if is_tidy(raw) {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(raw.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    // Words are now separated by single spaces.
    let skip_word = |r: &str| -> usize { r.find(' ').map_or(r.len(), |i| i + 1) };
    let mut rest: &str = &collapsed;
    let mut s = String::with_capacity(rest.len().min(MAX * 4) + 8);
    // A leading pronoun gives way to the person's name.
    let k = inp
        .registry
        .mentions
        .partition_point(|m| m.span.start < evidence.start);
    if let Some(m) = inp
        .registry
        .mentions
        .get(k)
        .filter(|m| m.span.start == evidence.start)
    {
        if m.kind == super::officials::MentionKind::Pronoun {
            s.push_str(&inp.registry.persons[m.person].name);
            rest = &rest[skip_word(rest)..];
        }
    }
    if s.is_empty() && clause {
        // "since X became minister": the clause reads without its subordinator.
        let w = rest.split(' ').next().unwrap_or("");
        if !w.is_empty() && super::lexicon::with_lower(w, is_subordinator) {
            rest = &rest[skip_word(rest)..];
        }
    }
    if !rest.is_empty() {
        if !s.is_empty() {
            s.push(' ');
        }
        // Only the first MAX chars are shown, and any 4 * MAX bytes hold
        // more than MAX chars: the rest need not be copied.
        let mut cap = rest.len().min(MAX * 4 + 4);
        while !rest.is_char_boundary(cap) {
            cap -= 1;
        }
        s.push_str(&rest[..cap]);
    }
    if let Some(first) = s.chars().next() {
        if first.is_lowercase() {
            let upper: String = first.to_uppercase().collect();
            s.replace_range(..first.len_utf8(), &upper);
        }
    }
    // A summary of at most MAX bytes has at most MAX chars: no need to count.
    let cut = if s.len() <= MAX {
        None
    } else {
        s.char_indices().nth(MAX)
    };
    if let Some((cut_at, _)) = cut {
        let head = &s[..cut_at];
        let head = match head.rfind(' ') {
            Some(i) if i > head.len() / 2 => &head[..i],
            _ => head,
        };
        let mut out = head.trim_end_matches([',', ';', ':', ' ']).to_string();
        out.push('…');
        return out;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{actors, countries, officials, quotes, times};

    #[test]
    fn subordinators_pass_the_length_table() {
        let all = [
            "since", "after", "before", "when", "where", "while", "whom", "who", "which",
            "because", "although", "though",
        ];
        for w in all {
            assert!(is_subordinator(w), "{w}");
        }
        for w in [
            "",
            "w",
            "wh",
            "whose",
            "sinc",
            "afters",
            "thoughs",
            "Since",
            "bec",
            "although!",
        ] {
            assert!(!is_subordinator(w), "{w}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]
        /// The chunked walk of `is_tidy` answers as the byte walk does.
        #[test]
        fn tidy_chunks_agree_with_the_byte_walk(
            t in "[ab  \t\n\u{b}\u{c}\r\u{a0}\u{2009}\u{3000}\u{201c}\u{e9}\u{1680}]{0,40}",
        ) {
            let bytewise = !t.starts_with(' ') && !t.ends_with(' ') && is_tidy_from(&t, 0, false);
            proptest::prop_assert_eq!(is_tidy(&t), bytewise, "{:?}", t);
            let collapsed = t.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(is_tidy(&t), collapsed == t, "{:?}", t);
        }
    }

    proptest::proptest! {
        /// A sweep over sentences in text order finds the same items as
        /// the binary searches, overlapping and nested items included.
        #[test]
        fn sweep_agrees_with_window(
            items in proptest::collection::vec((0usize..200, 0usize..30), 0..40),
            cuts in proptest::collection::vec(0usize..240, 0..30),
        ) {
            let mut items: Vec<Span> =
                items.into_iter().map(|(s, l)| Span::new(s, s + l)).collect();
            items.sort_by_key(|s| s.start);
            let mut cuts = cuts;
            cuts.sort_unstable();
            let mut sweep = Sweep::default();
            // Sentences: the spans between successive cuts, some skipped
            // as the events loop skips sentences without an actor.
            for (k, pair) in cuts.windows(2).enumerate() {
                let s = Span::new(pair[0], pair[1]);
                if k % 3 == 2 {
                    continue;
                }
                proptest::prop_assert_eq!(
                    sweep.window(&items, s, |x| *x),
                    window(&items, s, |x| *x),
                    "{:?} in {:?}", s, items
                );
            }
        }
    }

    #[test]
    fn tidy_means_collapsing_whitespace_changes_nothing() {
        for t in [
            "",
            "   ",
            "one",
            "Ana met Li in Lisbon.",
            " Ana met",
            "Ana met ",
            "Ana  met",
            "Ana\tmet\nLi",
            "non\u{a0}breaking\u{2009}thin\u{3000}ideographic",
            "caf\u{e9} \u{201c}quoted\u{201d} \u{2014} dash",
            "vertical\u{b}tab",
        ] {
            let collapsed = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(is_tidy(t), collapsed == t, "{t:?}");
        }
    }

    /// (kind, date, countries) of each event in `text`, published `dct`.
    fn events(text: &str, dct: &str) -> Vec<(EventKind, String, Vec<&'static str>)> {
        let dct = NaiveDate::parse_from_str(dct, "%Y-%m-%d").unwrap_or_default();
        let doc = Doc::new(text);
        let cm = countries::find(text);
        let reg = officials::extract(&doc, &cm, dct);
        let acts = actors::find(&doc, &reg, &cm);
        let qs = quotes::extract(&doc, &reg, &acts);
        let ts = times::extract(&doc, dct);
        let inp = Input {
            doc: &doc,
            registry: &reg,
            actors: &acts,
            countries: &cm,
            quotes: &qs,
            times: &ts,
            dct,
            dct_guess: false,
            dateline: None,
        };
        extract(&inp)
            .into_iter()
            .map(|e| (e.kind, e.date, e.countries))
            .collect()
    }

    #[test]
    fn a_meeting_dated_by_its_weekday() {
        // 2025-05-10 is a Saturday: "on Thursday" is two days before.
        let ev = events("Greek Prime Minister Eleni Mavros met Turkish President Kemal Aras in Ankara on Thursday.", "2025-05-10");
        assert_eq!(
            ev,
            vec![(EventKind::Meet, "2025-05-08".to_string(), vec!["GR", "TR"])]
        );
    }

    #[test]
    fn a_planned_event_takes_the_coming_day() {
        let ev = events(
            "Foreign Minister Ana Lima of Brazil will visit Chile on Monday.",
            "2025-05-10",
        );
        assert_eq!(ev[0].1, "2025-05-12");
        assert_eq!(ev[0].0, EventKind::Visit);
    }

    #[test]
    fn a_statement_without_a_date_takes_the_publication_day() {
        let ev = events(
            "Kenya's government said it would reopen the border.",
            "2025-05-10",
        );
        assert_eq!(
            ev,
            vec![(EventKind::Statement, "2025-05-10".to_string(), vec!["KE"])]
        );
    }

    #[test]
    fn a_clause_with_its_own_date_is_its_own_event() {
        let t = "The talks were the first since Ines Moura became Portugal's foreign minister in March.";
        let ev = events(t, "2025-05-10");
        assert!(
            ev.iter()
                .any(|e| e.0 == EventKind::Appoint && e.1 == "2025-03"),
            "{ev:?}"
        );
    }

    #[test]
    fn a_place_is_a_location_not_a_party() {
        let ev = events(
            "Nepal and Bhutan signed a trade agreement in India on Friday.",
            "2025-05-10",
        );
        assert_eq!(ev[0].0, EventKind::Agree);
        assert_eq!(ev[0].2, vec!["NP", "BT"]);
    }

    #[test]
    fn sentences_without_an_actor_are_not_events() {
        assert!(events(
            "The weather was mild on Friday and the river rose.",
            "2025-05-10"
        )
        .is_empty());
    }

    #[test]
    fn a_bare_past_year_is_background() {
        assert!(events(
            "Defence Minister Ana Lima was born in Porto in 1968.",
            "2025-05-10"
        )
        .is_empty());
        // A year that qualifies a noun does not date the act.
        let ev = events(
            "Chile's government cited a 1991 law in its appeal to the court.",
            "2025-05-10",
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].1, "2025-05-10");
        // A past act with its own year is an event of that year.
        let ev = events(
            "In 2011, Foreign Minister Ana Lima rejected the Chilean offer.",
            "2025-05-10",
        );
        assert_eq!(ev[0].1, "2011");
        // A headline drops the article: the year still qualifies the noun.
        let ev = events(
            "Senator Ana Lima Backs Rivera As 2026 Nominee",
            "2025-05-10",
        );
        assert!(ev.iter().all(|e| e.1 != "2026"), "{ev:?}");
        // After a preposition it dates the act, even before a word.
        let ev = events(
            "In 2011 Foreign Minister Ana Lima rejected the Chilean offer.",
            "2025-05-10",
        );
        assert_eq!(ev[0].1, "2011");
        // A year named by words dates the act before any word.
        let ev = events(
            "Foreign Minister Ana Lima said last year she would run again.",
            "2025-05-10",
        );
        assert_eq!(ev[0].1, "2024");
    }

    #[test]
    fn a_statement_is_dated_when_it_was_made() {
        // 2025-05-10 is a Saturday.
        let ev = events(
            "Foreign Minister Ana Lima of Brazil said on Friday that the pact signed in 2015 was void.",
            "2025-05-10",
        );
        assert_eq!(ev[0].1, "2025-05-09");
        let ev = events(
            "Foreign Minister Ana Lima of Brazil said the pact signed in 2015 was void.",
            "2025-05-10",
        );
        assert_eq!(ev[0].1, "2025-05-10");
        let ev = events(
            "Foreign Minister Ana Lima of Brazil said the talks would resume in June.",
            "2025-05-10",
        );
        assert_eq!(ev[0].1, "2025-05-10");
        // A future time never dates a past act.
        let ev = events(
            "Looking ahead to next year's elections, Brazil's president offered his view.",
            "2025-05-10",
        );
        assert_eq!(ev[0].1, "2025-05-10");
    }

    #[test]
    fn a_time_of_day_stays_in_its_sentence() {
        let ev = events(
            "Kenya's president spoke to reporters on Friday morning. Kenya's government then said it would reopen the border.",
            "2025-05-10",
        );
        let dates: Vec<&str> = ev.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(dates, vec!["2025-05-09TMO", "2025-05-09"]);
    }

    #[test]
    fn more_quotation_of_the_same_speaker_is_one_statement() {
        let t = "\"We will reopen the border,\" Interior Minister Rui Dias of Angola said. \"And we will do it soon.\"";
        let ev = events(t, "2025-05-10");
        assert_eq!(ev.len(), 1, "{ev:?}");
    }

    #[test]
    fn a_dateline_is_not_an_actor() {
        assert!(events(
            "NAIROBI \u{2013} The next election is less than a year away.",
            "2025-05-10"
        )
        .is_empty());
    }

    #[test]
    fn junk_lines_are_not_events() {
        for j in [
            "Get our daily newsletter by email and never miss our top stories Free Sign Up",
            "\u{201c}",
            "Sanctions.",
            "[inaudible] [crosstalk]",
            "Ana Lima, left, walks with Rui Dias in Luanda.",
            "Your Monday Briefing: talks in Luanda",
            "Read more: Angola's talks",
        ] {
            let lower = j.to_ascii_lowercase();
            assert!(is_junk(j, &lower, JUNK_MARKS.is_match(&lower)), "{j}");
        }
        let news = "Angola's president left for Luanda on Monday.";
        assert!(!is_junk(news, &news.to_ascii_lowercase(), true));
    }

    proptest::proptest! {
        /// The byte walk of `follows_comma` answers as the trimmed slice does.
        #[test]
        fn follows_comma_is_trimmed_slice_test(
            text in "[a, \t\n\u{b}\u{c}\u{1f}\u{a0}\u{2003}\u{e9}]{0,10}",
            pos in 0usize..24,
        ) {
            let slow = text.get(..pos).is_some_and(|b| b.trim_end().ends_with(','));
            proptest::prop_assert_eq!(follows_comma(&text, pos), slow);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// The SIMD searcher and the automaton find a junk phrase in the
        /// same texts: random pieces of phrases, words and punctuation.
        #[test]
        fn junk_searchers_agree(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "free", " sign", " up", "read more", ":", "your", " monday",
                " briefing", ", ", "left", ",", "(", "right", ")", "centre",
                "continue", " reading", "follow us", " on", "share", " this",
                " article", "the ", "talks", " in ", "luanda", "click here",
                " to", "our daily", " newsletter", "x", " ",
            ]),
            0..30,
        )) {
            let text: String = pieces.concat();
            let m = &*JUNK_MARKS;
            if let (Some(p), Some(a)) = (&m.packed, &m.automaton) {
                proptest::prop_assert_eq!(p.find(&text).is_some(), a.is_match(&text), "{}", text);
            }
        }
    }

    #[test]
    fn nouns_that_look_like_verbs_are_not_acts() {
        // "appeals court", "state legislator": no appeal, no statement.
        assert!(events(
            "Judge Rui Dias, a former Kenyan state legislator, sits on an appeals court.",
            "2025-05-10"
        )
        .iter()
        .all(|e| e.0 != EventKind::Appeal && e.0 != EventKind::Statement));
    }

    #[test]
    fn warnings_and_appeals() {
        let ev = events(
            "Chad's army warned rebels against any attack. The U.N. called on both sides to stop.",
            "2025-05-10",
        );
        let kinds: Vec<EventKind> = ev.iter().map(|e| e.0).collect();
        assert_eq!(kinds, vec![EventKind::Threaten, EventKind::Appeal]);
    }
}
