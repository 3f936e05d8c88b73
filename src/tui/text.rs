//! Measuring and cutting text by display width, never by bytes: CJK names
//! take two cells, combining marks none, and every cut lands on a char
//! boundary.

use unicode_width::UnicodeWidthChar;

/// The cells a char takes; control chars (which should be gone) count 0.
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// The longest prefix of `s` that fits in `max` cells, as a byte length.
pub fn fit_prefix(s: &str, max: usize) -> usize {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = char_width(c);
        if used + w > max {
            return i;
        }
        used += w;
    }
    s.len()
}

/// `s` cut to `max` cells, ending in `…` when something was dropped.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let end = fit_prefix(s, max - 1);
    format!("{}…", &s[..end])
}

/// Splits `text` into display lines of at most `max` cells, breaking at
/// spaces where possible and at newlines always. Returns byte ranges into
/// `text`, so styling by span survives the wrap.
pub fn wrap(text: &str, max: usize) -> Vec<(usize, usize)> {
    let max = max.max(1);
    let mut out = Vec::new();
    let mut para_start = 0;
    for para in text.split('\n') {
        let base = para_start;
        para_start += para.len() + 1;
        if para.is_empty() {
            out.push((base, base));
            continue;
        }
        let mut start = 0;
        while start < para.len() {
            let rest = &para[start..];
            if width(rest) <= max {
                out.push((base + start, base + para.len()));
                break;
            }
            let fit = fit_prefix(rest, max).max(rest.chars().next().map_or(1, char::len_utf8));
            // Break at a space right after the fitting part, else at the
            // last space inside it, else mid-word.
            let cut = if rest[fit..].starts_with(' ') {
                fit + 1
            } else {
                rest[..fit]
                    .rfind(' ')
                    .filter(|&i| i > 0)
                    .map(|i| i + 1)
                    .unwrap_or(fit)
            };
            out.push((base + start, base + start + cut));
            start += cut;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_of_cjk_and_emoji() {
        assert_eq!(width("王毅"), 4);
        assert_eq!(width("a🙂"), 3);
        assert_eq!(truncate("王毅外长", 5), "王毅…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 0), "");
    }

    #[test]
    fn wrap_keeps_byte_ranges_on_boundaries() {
        let t = "岸田文雄 met 王毅 in Tokyo on Saturday.\n\nNext para";
        for w in 1..20 {
            let lines = wrap(t, w);
            for &(a, b) in &lines {
                assert!(t.is_char_boundary(a) && t.is_char_boundary(b));
                assert!(width(t[a..b].trim_end()) <= w.max(2));
            }
        }
        let lines = wrap("one two three", 7);
        assert_eq!(lines, vec![(0, 8), (8, 13)]);
    }
}
