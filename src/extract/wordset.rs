//! Word tables for the per-token questions the extractors ask ("is this a
//! title word?", "a trigger?", "an organisation head?"). Every token of an
//! article goes through several of them, and most tokens are in none, so a
//! table answers "certainly not" from a small bit filter (first two bytes and
//! length) before it hashes the word.

use rustc_hash::FxHashMap;

/// Bits in the filter (8 KiB), small enough to stay in cache and sparse
/// enough that few words pass it by chance.
const FILTER_BITS: usize = 1 << 16;

/// A map from lower-case words (as bytes) to values, with a quick reject.
pub struct WordMap<V> {
    map: FxHashMap<Box<[u8]>, V>,
    filter: Box<[u64]>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            map: FxHashMap::default(),
            filter: vec![0u64; FILTER_BITS / 64].into_boxed_slice(),
        }
    }
}

/// The filter bit of a word: its first two bytes, its last byte and its
/// length, mixed.
#[inline]
fn bit(w: &[u8]) -> usize {
    let a = w.first().copied().unwrap_or(0) as u64;
    let b = w.get(1).copied().unwrap_or(0) as u64;
    let z = w.last().copied().unwrap_or(0) as u64;
    let key = a | b << 8 | z << 16 | (w.len() as u64) << 24;
    // A multiplicative hash: the top bits of the product are well mixed.
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

impl<V> WordMap<V> {
    /// The value of `w`, inserting `make()` when it is new.
    pub fn entry_or_insert_with(&mut self, w: &[u8], make: impl FnOnce() -> V) -> &mut V {
        let k = bit(w);
        self.filter[k / 64] |= 1 << (k % 64);
        self.map.entry(w.into()).or_insert_with(make)
    }

    /// Sets the value of `w`.
    pub fn insert(&mut self, w: &[u8], v: V) {
        let k = bit(w);
        self.filter[k / 64] |= 1 << (k % 64);
        self.map.insert(w.into(), v);
    }

    #[inline]
    pub fn get(&self, w: &[u8]) -> Option<&V> {
        let k = bit(w);
        if self.filter[k / 64] & (1 << (k % 64)) == 0 {
            return None;
        }
        self.map.get(w)
    }

    pub fn get_mut(&mut self, w: &[u8]) -> Option<&mut V> {
        self.map.get_mut(w)
    }

    #[inline]
    pub fn contains(&self, w: &[u8]) -> bool {
        self.get(w).is_some()
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
    }
}
