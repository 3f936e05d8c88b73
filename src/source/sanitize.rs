//! Removing what must never reach the store or the screen: terminal escape
//! sequences and control characters. Article text is untrusted.

use std::borrow::Cow;

/// Strips ANSI/VT escape sequences (CSI, OSC, and two-byte escapes) and
/// control characters other than newline and tab. Carriage returns become
/// newlines; tabs become spaces.
pub fn clean(input: &str) -> String {
    clean_cow(input).into_owned()
}

/// `clean`, borrowing the input when there is nothing to remove (the
/// usual case), so a caller that only reads the text copies nothing.
pub fn clean_cow(input: &str) -> Cow<'_, str> {
    if !needs_any_cleaning(input) {
        return Cow::Borrowed(input);
    }
    Cow::Owned(clean_slow(input))
}

/// True when some char of `s` is one that `clean` drops or changes
/// (`needs_cleaning`). Works on bytes: every such char is ASCII or starts
/// with one of the lead bytes 0xC2, 0xE2, 0xEF, so the common printable
/// text is passed over a byte at a time without decoding chars.
pub fn needs_any_cleaning(s: &str) -> bool {
    let b = s.as_bytes();
    any_block(b, |i| match b[i] {
        // C0 controls (but newline) and DEL.
        0x00..=0x09 | 0x0b..=0x1f | 0x7f => true,
        // U+0080..=U+009F (C1 controls) and U+00AD (soft hyphen).
        0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f | 0xad)),
        // U+200B..=U+200F, U+202A..=U+202E, U+2066..=U+2069.
        0xe2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x8b..=0x8f | 0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        // U+FEFF.
        0xef => b.get(i + 1) == Some(&0xbb) && b.get(i + 2) == Some(&0xbf),
        _ => false,
    })
}

/// True when `s` holds a control char (`char::is_control`) other than
/// newline: a C0 byte, DEL, or a C1 char (U+0080..=U+009F, 0xC2 0x80..=0x9F).
pub fn has_control(s: &str) -> bool {
    let b = s.as_bytes();
    any_block(b, |i| match b[i] {
        0x00..=0x09 | 0x0b..=0x1f | 0x7f => true,
        0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
        _ => false,
    })
}

/// True when `hit(i)` holds for some byte index of `b`. `hit` may only be
/// true where the byte is below 0x20 (but not a newline) or 0x7F and above;
/// 32-byte blocks of printable ASCII and newlines (most of any text) are
/// passed over with one test the compiler turns into vector code.
#[inline]
fn any_block(b: &[u8], hit: impl Fn(usize) -> bool) -> bool {
    let mut at = 0;
    for block in b.chunks(32) {
        let unusual = block.iter().fold(false, |acc, &c| {
            acc | (c.wrapping_sub(0x20) >= 0x5f && c != b'\n')
        });
        if unusual && (at..at + block.len()).any(&hit) {
            return true;
        }
        at += block.len();
    }
    false
}

fn clean_slow(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    scan(input, |piece| match piece {
        Piece::Keep(c) => out.push(c),
        Piece::Newline => out.push('\n'),
        Piece::Space => out.push(' '),
        Piece::Drop(_) => {}
    });
    out
}

/// What `scan` makes of each part of its input.
enum Piece {
    Keep(char),
    /// A newline (or a lone carriage return).
    Newline,
    /// A tab.
    Space,
    /// Bytes to remove: an escape sequence, a control, bidi or zero-width
    /// char, or the CR of a CR LF. The value is their length in bytes.
    Drop(usize),
}

/// Walks `input` once, telling `f` what to keep and what to remove.
fn scan(input: &str, mut f: impl FnMut(Piece)) {
    let mut chars = input.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\u{1b}' => {
                skip_escape(&mut chars);
                f(Piece::Drop(next_at(&mut chars, input) - at));
            }
            // C1 control: CSI introducer.
            '\u{9b}' => {
                skip_csi(&mut chars);
                f(Piece::Drop(next_at(&mut chars, input) - at));
            }
            // C1 DCS, SOS, OSC, PM, APC: a string up to its terminator, when
            // one comes soon (a stray C1 char from a mis-decoded page must
            // not swallow the rest of the article).
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => {
                let mut ahead = chars.clone();
                skip_string(&mut ahead);
                let end = next_at(&mut ahead, input);
                let terminated = input[at..end]
                    .chars()
                    .last()
                    .is_some_and(|c| matches!(c, '\u{7}' | '\u{9c}' | '\\'));
                if terminated && end - at <= 4096 {
                    chars = ahead;
                }
                f(Piece::Drop(next_at(&mut chars, input) - at));
            }
            '\r' => {
                if chars.peek().map(|p| p.1) != Some('\n') {
                    f(Piece::Newline);
                } else {
                    f(Piece::Drop(1));
                }
            }
            '\n' => f(Piece::Newline),
            '\t' => f(Piece::Space),
            // Zero-width and bidi controls can hide or reorder text on screen.
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}'
                    | '\u{202a}'..='\u{202e}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{feff}'
                    | '\u{ad}') =>
            {
                f(Piece::Drop(c.len_utf8()))
            }
            c => f(Piece::Keep(c)),
        }
    }
}

type CharIdx<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

fn next_at(chars: &mut CharIdx<'_>, input: &str) -> usize {
    chars.peek().map_or(input.len(), |p| p.0)
}

/// Text for one line of a terminal or a table cell: what `clean` removes
/// is removed, and newlines and tabs become spaces. For every untrusted
/// string newsline prints (titles, names, file names, error messages).
pub fn clean_line(input: &str) -> Cow<'_, str> {
    if !needs_any_cleaning(input) && !input.contains('\n') {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    scan(input, |piece| match piece {
        Piece::Keep(c) => out.push(c),
        Piece::Newline | Piece::Space => out.push(' '),
        Piece::Drop(_) => {}
    });
    Cow::Owned(out)
}

/// Text for the screen that keeps its lines: `clean` as a `Cow`.
pub fn clean_for_display(input: &str) -> Cow<'_, str> {
    clean_cow(input)
}

/// Like `clean_for_display` but every removed byte becomes a space, so
/// byte offsets into the text (evidence and quote spans) stay valid.
pub fn blank_for_display(input: &str) -> Cow<'_, str> {
    if !needs_any_cleaning(input) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    scan(input, |piece| match piece {
        Piece::Keep(c) => out.push(c),
        Piece::Newline => out.push('\n'),
        Piece::Space => out.push(' '),
        Piece::Drop(n) => out.extend(std::iter::repeat_n(' ', n)),
    });
    Cow::Owned(out)
}

/// A char that `clean` drops or changes (what `needs_any_cleaning` looks
/// for, char by char).
#[cfg(test)]
fn needs_cleaning(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{ad}')
}

fn skip_escape(chars: &mut CharIdx<'_>) {
    match chars.peek().map(|p| p.1) {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if ('\u{20}'..='\u{7e}').contains(&c) => {
            // Two-byte escape (ESC c, ESC 7, ESC ( B ...).
            chars.next();
            if matches!(c, '(' | ')' | '*' | '+' | '#' | '%') {
                chars.next();
            }
        }
        _ => {}
    }
}

/// OSC / DCS / SOS / PM / APC: runs to BEL, ST (ESC \\) or C1 ST. Any
/// other ESC ends the string without being consumed: it starts the next
/// sequence, as in a terminal.
fn skip_string(chars: &mut CharIdx<'_>) {
    while let Some(&(_, c)) = chars.peek() {
        if c == '\u{1b}' {
            let mut two = chars.clone();
            two.next();
            if two.peek().map(|p| p.1) == Some('\\') {
                chars.next();
                chars.next();
            }
            break;
        }
        chars.next();
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
    }
}

fn skip_csi(chars: &mut CharIdx<'_>) {
    // Parameter and intermediate bytes, then one final byte in 0x40..=0x7e.
    while let Some(&(_, c)) = chars.peek() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            chars.next();
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escapes_and_controls() {
        let s = "Red \u{1b}[31mtext\u{1b}[0m and \u{1b}]0;title\u{7}ok\u{7}\u{8}\r\nnext\tcol";
        assert_eq!(clean(s), "Red text and ok\nnext col");
    }

    #[test]
    fn keeps_unicode() {
        assert_eq!(
            clean("Ōsaka “quoted” 習近平 🙂"),
            "Ōsaka “quoted” 習近平 🙂"
        );
    }

    #[test]
    fn byte_check_agrees_with_chars() {
        let mut all = String::new();
        for c in (0u32..0x3000)
            .chain(0xfe00..0x10100)
            .chain(0xe0000..0xe0100)
            .filter_map(char::from_u32)
        {
            let s = format!("a{c}b");
            assert_eq!(
                needs_any_cleaning(&s),
                s.chars().any(needs_cleaning),
                "{c:?}"
            );
            all.push(c);
        }
        assert!(needs_any_cleaning(&all));
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(has_control(&s), c.is_control() && c != '\n', "{c:?}");
        }
        assert!(!needs_any_cleaning("plain text\nwith “quotes” and ü"));
    }

    #[test]
    fn display_cleaning_drops_whole_sequences() {
        let s = "A\u{1b}]52;c;cGF5bG9hZA==\u{7}B\u{1b}]8;;http://x.test/\u{1b}\\C\u{9d}8;;y\u{9c}D\u{202e}E\u{85}F\nG\tH";
        assert_eq!(clean_line(s), "ABCDEF G H");
        assert_eq!(clean_for_display(s), "ABCDEF\nG H");
        let b = blank_for_display(s);
        assert_eq!(b.len(), s.len());
        assert!(!b.contains('\u{1b}') && !b.contains("52;") && !b.contains("x.test"));
        assert_eq!(b.find("F\nG"), s.find("F\nG"));
        assert_eq!(clean_line("plain"), "plain");
        // A string cut short by another sequence: both go.
        assert_eq!(clean_line("a\u{90}x\u{1b}]52;c;PAYLOAD\u{7}b"), "axb");
        assert_eq!(clean_line("a\u{1b}]0;t\u{1b}]52;c;PAYLOAD\u{7}b"), "ab");
        // A stray C1 char (a mis-decoded page) takes nothing with it.
        assert_eq!(clean_line("caf\u{90}e and more text"), "cafe and more text");
    }

    #[test]
    fn unterminated_escape_is_harmless() {
        assert_eq!(clean("a\u{1b}[12"), "a");
        assert_eq!(clean("a\u{1b}"), "a");
    }
}
