//! Byte tests eight bytes at a time ("SIMD within a register"), for the hot
//! scans of the tokenizer, the country finder and the time windows. Each
//! test gives a mask with the high bit set in every byte that passes.

pub const LO: u64 = 0x0101_0101_0101_0101;
pub const HI: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `i`, little-endian, if there are eight.
#[inline]
pub fn chunk(bytes: &[u8], i: usize) -> Option<u64> {
    let c = bytes.get(i..i.checked_add(8)?)?;
    <[u8; 8]>::try_from(c).ok().map(u64::from_le_bytes)
}

/// The high bit of each byte of `x` whose low seven bits are `>= n`
/// (`n` in `1..=128`; no carry crosses bytes).
#[inline]
pub fn ge7(x: u64, n: u8) -> u64 {
    ((x & !HI) + (128 - u64::from(n)) * LO) & HI
}

/// The high bit of each ASCII byte of `x` in `a..=b` (`b < 0x7f`).
#[inline]
pub fn ascii_within(x: u64, a: u8, b: u8) -> u64 {
    ge7(x, a) & !ge7(x, b + 1) & !x & HI
}

/// `x` with its ASCII capitals in lower case, other bytes as they are.
#[inline]
pub fn ascii_lower(x: u64) -> u64 {
    x | (ascii_within(x, b'A', b'Z') >> 2)
}

/// The high bit of each ASCII letter or digit of `x`.
#[inline]
pub fn alnum_mask(x: u64) -> u64 {
    let digit = ascii_within(x, b'0', b'9');
    // Or-ing 0x20 maps capitals, and only them, onto the small letters.
    let alpha = ascii_within(x | (0x20 * LO), b'a', b'z');
    digit | alpha
}

/// The high bit of each byte of `x` that leads a non-ASCII char (`>= 0xc0`).
#[inline]
pub fn lead_mask(x: u64) -> u64 {
    x & ge7(x, 0x40)
}

/// The index (0..8) of the first byte flagged in a non-zero `mask`.
#[inline]
pub fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_agree_with_byte_tests() {
        for probe in 0u8..=255 {
            for at in 0..8 {
                let mut b = [b'#'; 8];
                b[at] = probe;
                let x = u64::from_le_bytes(b);
                let flag = |m: u64| m & (0x80 << (8 * at)) != 0;
                assert_eq!(
                    flag(ascii_within(x, b'A', b'Z')),
                    probe.is_ascii_uppercase()
                );
                assert_eq!(flag(ascii_within(x, b'0', b'9')), probe.is_ascii_digit());
                assert_eq!(flag(alnum_mask(x)), probe.is_ascii_alphanumeric());
                assert_eq!(flag(lead_mask(x)), probe >= 0xc0);
                assert_eq!(flag(ge7(x, 0x41)), (probe & 0x7f) >= 0x41);
                let mut lower = b;
                lower.make_ascii_lowercase();
                assert_eq!(ascii_lower(x), u64::from_le_bytes(lower));
            }
        }
        assert_eq!(
            chunk(b"abcdefgh", 0),
            Some(u64::from_le_bytes(*b"abcdefgh"))
        );
        assert_eq!(chunk(b"abcdefg", 0), None);
        assert_eq!(first(0x80 << 24), 3);
    }
}
