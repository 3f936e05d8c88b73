//! Word tables for the per-token questions the extractors ask ("is this a
//! title word?", "a trigger?", "an organisation head?"). Every token of an
//! article goes through several of them, and most tokens are in none, so a
//! table answers "certainly not" from a small bit filter (first two bytes and
//! length) before it hashes the word.

use rustc_hash::FxHashMap;

/// Bits in the filter (512 bytes). A dozen tables are asked about every
/// token, so their filters together must stay in the first-level cache
/// (larger ones missed it: callgrind's cache simulation counted 6% more
/// data misses with 8 KiB each); the largest list, a few hundred words,
/// still leaves most bits clear.
const FILTER_BITS: usize = 1 << 12;

/// A map from lower-case words (as bytes) to values, with a quick reject.
///
/// Words of up to `SHORT` bytes (nearly every listed word) are keyed by
/// their bytes packed into two integers with the length, so that a look-up
/// hashes two words and compares integers instead of hashing a byte slice
/// and calling `memcmp`; longer words keep their bytes as the key.
pub struct WordMap<V> {
    short: FxHashMap<(u64, u64), V>,
    long: FxHashMap<Box<[u8]>, V>,
    filter: Box<[u64]>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            filter: vec![0u64; FILTER_BITS / 64].into_boxed_slice(),
        }
    }
}

/// The longest word kept under a packed key: fifteen bytes, so that the
/// sixteenth byte can hold the length (which tells "ab" from "ab\0").
const SHORT: usize = 15;

/// `w` (at most `SHORT` bytes) packed into two little-endian integers, the
/// length in the top byte of the second; with `lower`, ASCII capitals are
/// folded to lower case on the way (other bytes as they are).
#[inline]
fn pack(w: &[u8], lower: bool) -> (u64, u64) {
    debug_assert!(w.len() <= SHORT);
    let (mut a, mut b) = load_padded(w);
    if lower {
        a = super::swar::ascii_lower(a);
        b = super::swar::ascii_lower(b);
    }
    // The sixteenth byte is zero (and stays zero when folded).
    (a, b | (w.len() as u64) << 56)
}

/// The bytes of `w` (at most 15) as two little-endian words, zero past its
/// end. Fixed-size loads only: a copy of a variable length into a buffer
/// is a call to `memcpy`, whose branches on the length mispredict, and
/// this runs for most look-ups.
#[inline]
fn load_padded(w: &[u8]) -> (u64, u64) {
    let n = w.len();
    let word = |s: &[u8]| {
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        u64::from_le_bytes(a)
    };
    let half = |s: &[u8]| {
        let mut a = [0u8; 4];
        a.copy_from_slice(s);
        u64::from(u32::from_le_bytes(a))
    };
    if n >= 8 {
        // The last eight bytes, shifted down so that byte 8 comes first.
        let b = if n == 8 {
            0
        } else {
            word(&w[n - 8..]) >> (8 * (16 - n))
        };
        (word(&w[..8]), b)
    } else if n >= 4 {
        // Two loads that overlap on equal bytes.
        (half(&w[..4]) | half(&w[n - 4..]) << (8 * (n - 4)), 0)
    } else {
        let a = w
            .iter()
            .enumerate()
            .fold(0u64, |a, (i, &c)| a | u64::from(c) << (8 * i));
        (a, 0)
    }
}

/// The filter bit of a word: its first two bytes, its last byte and its
/// length, mixed.
#[inline]
fn bit(w: &[u8]) -> usize {
    bit_of(
        w.first().copied().unwrap_or(0),
        w.get(1).copied().unwrap_or(0),
        w.last().copied().unwrap_or(0),
        w.len(),
    )
}

/// `bit` of a word in ASCII lower case, from the three bytes it reads.
#[inline]
fn bit_lower(w: &[u8]) -> usize {
    let lower = |b: Option<&u8>| b.copied().unwrap_or(0).to_ascii_lowercase();
    bit_of(lower(w.first()), lower(w.get(1)), lower(w.last()), w.len())
}

#[inline]
fn bit_of(a: u8, b: u8, z: u8, len: usize) -> usize {
    let key = u64::from(a) | u64::from(b) << 8 | u64::from(z) << 16 | (len as u64) << 24;
    // A multiplicative hash: the top bits of the product are well mixed.
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

impl<V> WordMap<V> {
    /// The value of `w`, inserting `make()` when it is new.
    pub fn entry_or_insert_with(&mut self, w: &[u8], make: impl FnOnce() -> V) -> &mut V {
        let k = bit(w);
        self.filter[k / 64] |= 1 << (k % 64);
        if w.len() <= SHORT {
            self.short.entry(pack(w, false)).or_insert_with(make)
        } else {
            self.long.entry(w.into()).or_insert_with(make)
        }
    }

    /// Sets the value of `w`.
    pub fn insert(&mut self, w: &[u8], v: V) {
        let k = bit(w);
        self.filter[k / 64] |= 1 << (k % 64);
        if w.len() <= SHORT {
            self.short.insert(pack(w, false), v);
        } else {
            self.long.insert(w.into(), v);
        }
    }

    /// False when no word with filter bit `k` is in the map.
    #[inline(always)]
    fn may_hold(&self, k: usize) -> bool {
        self.filter[k / 64] & (1 << (k % 64)) != 0
    }

    /// Inlined into every caller, so the usual answer (not here, from the
    /// filter) costs no call; the hash look-up is out of line.
    #[inline(always)]
    pub fn get(&self, w: &[u8]) -> Option<&V> {
        if !self.may_hold(bit(w)) {
            return None;
        }
        self.lookup(w)
    }

    #[inline(never)]
    fn lookup(&self, w: &[u8]) -> Option<&V> {
        if w.len() <= SHORT {
            self.short.get(&pack(w, false))
        } else {
            self.long.get(w)
        }
    }

    /// The value of `w` in lower case, as `lexicon::with_lower_bytes`
    /// folds it (ASCII words by ASCII rules, others by Unicode ones),
    /// asking the filter before any copy is made.
    #[inline(always)]
    pub fn get_lower(&self, w: &str) -> Option<&V> {
        let b = w.as_bytes();
        if b.is_ascii() && !self.may_hold(bit_lower(b)) {
            return None;
        }
        self.lookup_lower(w)
    }

    #[inline(never)]
    fn lookup_lower(&self, w: &str) -> Option<&V> {
        let b = w.as_bytes();
        if b.len() <= SHORT && b.is_ascii() {
            // What `with_lower_bytes` would give, folded in the key.
            return self.short.get(&pack(b, true));
        }
        super::lexicon::with_lower_bytes(w, |l| self.lookup(l))
    }

    /// The value of `w` with its ASCII letters in lower case (other bytes
    /// as they are), asking the filter before any copy is made.
    #[inline(always)]
    pub fn get_ascii_lower(&self, w: &[u8]) -> Option<&V> {
        if !self.may_hold(bit_lower(w)) {
            return None;
        }
        self.lookup_ascii_lower(w)
    }

    #[inline(never)]
    fn lookup_ascii_lower(&self, w: &[u8]) -> Option<&V> {
        if w.len() <= SHORT {
            return self.short.get(&pack(w, true));
        }
        self.long.get(&w.to_ascii_lowercase()[..])
    }

    pub fn get_mut(&mut self, w: &[u8]) -> Option<&mut V> {
        if w.len() <= SHORT {
            self.short.get_mut(&pack(w, false))
        } else {
            self.long.get_mut(w)
        }
    }

    #[inline(always)]
    pub fn contains(&self, w: &[u8]) -> bool {
        self.get(w).is_some()
    }

    /// `contains` of `w` in lower case (see `get_lower`).
    #[inline(always)]
    pub fn contains_lower(&self, w: &str) -> bool {
        self.get_lower(w).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_put_and_nothing_else() {
        let mut m: WordMap<u8> = WordMap::default();
        m.insert(b"minister", 1);
        *m.entry_or_insert_with(b"minister", || 0) |= 2;
        m.insert(b"said", 4);
        m.insert(b"", 8);
        assert_eq!(m.get(b"minister"), Some(&3));
        assert_eq!(m.get(b"said"), Some(&4));
        assert_eq!(m.get(b""), Some(&8));
        for w in ["the", "of", "ministers", "sai", "Said", "x"] {
            assert!(!m.contains(w.as_bytes()), "{w}");
        }
        assert_eq!(m.get_lower("MINISTER"), Some(&3));
        assert_eq!(m.get_lower("Said"), Some(&4));
        assert!(!m.contains_lower("Ministers"));
        assert_eq!(m.get_ascii_lower(b"MiNiStEr"), Some(&3));
        assert_eq!(m.get_ascii_lower(b"SAI"), None);
    }

    proptest::proptest! {
        /// The fixed-size loads read what a copy into a zeroed buffer does.
        #[test]
        fn padded_load_is_a_zero_padded_copy(w in proptest::collection::vec(proptest::num::u8::ANY, 0..=SHORT)) {
            let mut buf = [0u8; 16];
            buf[..w.len()].copy_from_slice(&w);
            let mut a = [0u8; 8];
            let mut b = [0u8; 8];
            a.copy_from_slice(&buf[..8]);
            b.copy_from_slice(&buf[8..]);
            proptest::prop_assert_eq!(load_padded(&w), (u64::from_le_bytes(a), u64::from_le_bytes(b)));
        }

        /// The folding look-up finds what a look-up of the folded word finds.
        #[test]
        fn folded_lookup_is_lookup_of_the_folded_word(w in "[a-zA-Z\u{e9}\u{c9}\u{212a}-]{0,12}") {
            let mut m: WordMap<u8> = WordMap::default();
            for (i, x) in ["said", "minister", "\u{e9}lys\u{e9}e", "kelvin", "ex-", "a"].iter().enumerate() {
                m.insert(x.as_bytes(), i as u8);
            }
            let slow = super::super::lexicon::with_lower_bytes(&w, |l| m.get(l).copied());
            proptest::prop_assert_eq!(m.get_lower(&w).copied(), slow);
            let ascii = m.get(&w.as_bytes().to_ascii_lowercase()).copied();
            proptest::prop_assert_eq!(m.get_ascii_lower(w.as_bytes()).copied(), ascii);
        }

        /// The packed keys of short words and the byte keys of long ones
        /// answer as a plain map of the words would, around the length
        /// where one gives way to the other and with NUL bytes.
        #[test]
        fn agrees_with_a_plain_map(
            words in proptest::collection::vec("[aA\\x00\u{e9}\u{c9}-]{0,18}", 0..12),
            probes in proptest::collection::vec("[aA\\x00\u{e9}\u{c9}-]{0,18}", 0..12),
        ) {
            let mut m: WordMap<usize> = WordMap::default();
            let mut plain: std::collections::HashMap<Vec<u8>, usize> = Default::default();
            for (i, w) in words.iter().enumerate() {
                if i % 2 == 0 {
                    m.insert(w.as_bytes(), i);
                    plain.insert(w.as_bytes().to_vec(), i);
                } else {
                    *m.entry_or_insert_with(w.as_bytes(), || 0) += i;
                    *plain.entry(w.as_bytes().to_vec()).or_insert(0) += i;
                }
            }
            for w in words.iter().chain(&probes) {
                let b = w.as_bytes();
                proptest::prop_assert_eq!(m.get(b), plain.get(b));
                let ascii = plain.get(&b.to_ascii_lowercase());
                proptest::prop_assert_eq!(m.get_ascii_lower(b), ascii);
                let lower = super::super::lexicon::with_lower_bytes(w, |l| plain.get(l));
                proptest::prop_assert_eq!(m.get_lower(w), lower);
                proptest::prop_assert_eq!(m.get_mut(b).map(|v| *v), plain.get(b).copied());
            }
        }
    }
}
