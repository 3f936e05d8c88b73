//! Wire datelines at the start of a story: `TOKYO, Nov 25 (Reuters) -`,
//! `BUSAN, South Korea (AP) —`, `WASHINGTON —`.
//!
//! The dateline stays in the text (it is part of the story as published,
//! and spans stay simple); we only read the place, the agency and, when
//! printed, the month and day from it.

use std::sync::LazyLock;

use regex::Regex;

use super::dates;

static RE_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"^(?P<place>[\p{Lu}][\p{L}\p{M}.'’ -]{0,40}?(?:,\s+[\p{Lu}][\p{L}\p{M}.'’ -]{1,30}?)?)(?:,\s+(?P<date>\p{L}{3,9}\.?\s+\d{1,2}))?\s*(?:\((?P<agency>[^()]{1,40})\))?\s*[-—–]{1,2}\s+\S",
    )
});

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dateline {
    pub place: String,
    pub agency: Option<String>,
    /// Month and day, when the dateline prints them.
    pub month_day: Option<(u32, u32)>,
}

/// The dateline of a story: it opens one of the first paragraphs of the
/// body (`skip` is 1 when the first paragraph is the headline).
pub fn find<S: AsRef<str>>(paragraphs: &[S], skip: usize) -> Option<Dateline> {
    paragraphs
        .iter()
        .skip(skip)
        .take(3)
        .find_map(|p| read(p.as_ref()))
}

/// Reads a dateline at the start of a paragraph.
pub fn read(paragraph: &str) -> Option<Dateline> {
    let head = paragraph
        .get(..paragraph.len().min(160))
        .unwrap_or_else(|| {
            let mut end = paragraph.len().min(160);
            while !paragraph.is_char_boundary(end) {
                end -= 1;
            }
            &paragraph[..end]
        });
    // A dateline opens with a capital and ends in a dash: without both,
    // the regex cannot match and need not run.
    if !head.starts_with(|c: char| c.is_uppercase())
        || !head.contains(['-', '\u{2014}', '\u{2013}'])
    {
        return None;
    }
    // Without an agency in brackets the city must be in capitals (see
    // below), so its first two chars are not lower case.
    let second_lower = head.chars().nth(1).is_some_and(char::is_lowercase);
    if second_lower && !head.contains('(') {
        return None;
    }
    let caps = RE_DATELINE.captures(head)?;
    let place = caps.name("place")?.as_str().trim();
    let agency = caps.name("agency").map(|m| m.as_str().trim().to_string());
    // Without an agency in brackets, only an all-capitals place is a
    // dateline ("WASHINGTON —"); "Officials said - " is not.
    let city = place.split(',').next().unwrap_or(place);
    let caps_city = city.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !city.chars().any(|c| c.is_lowercase());
    if agency.is_none() && !caps_city {
        return None;
    }
    if agency.is_some() && !caps_city && place.split_whitespace().count() > 3 {
        return None;
    }
    let month_day = caps.name("date").and_then(|m| {
        let p = dates::parse_parts(m.as_str())?;
        Some((p.month, p.day))
    });
    if caps.name("date").is_some() && month_day.is_none() {
        return None;
    }
    Some(Dateline {
        place: title_case_place(place),
        agency,
        month_day,
    })
}

/// `BUSAN, South Korea` stays as printed; only the all-capitals city is
/// kept as is too (it is what the story printed, and spans agree).
fn title_case_place(place: &str) -> String {
    place.trim().trim_end_matches(',').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms() {
        let d = read("TOKYO, Nov 25 (Reuters) - Ministers met.").unwrap_or_default();
        assert_eq!(d.place, "TOKYO");
        assert_eq!(d.agency.as_deref(), Some("Reuters"));
        assert_eq!(d.month_day, Some((11, 25)));
        let d = read("BUSAN, South Korea (AP) — Ministers met.").unwrap_or_default();
        assert_eq!(d.place, "BUSAN, South Korea");
        assert_eq!(d.agency.as_deref(), Some("AP"));
        let d = read("WASHINGTON — The senate voted.").unwrap_or_default();
        assert_eq!(d.place, "WASHINGTON");
        assert_eq!(d.agency, None);
        let d = read("Lisbon (Globex) - Ministers met.").unwrap_or_default();
        assert_eq!(d.place, "Lisbon");
    }

    #[test]
    fn not_datelines() {
        assert_eq!(
            read("Officials said - and repeated - that talks failed."),
            None
        );
        assert_eq!(read("The minister met his counterpart on Friday."), None);
        assert_eq!(read("Ölçü"), None);
    }
}
