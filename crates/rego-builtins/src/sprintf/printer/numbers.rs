//! Numbers under Go's verbs: integers (`%d %x %o %b %c %q %U`), `*big.Int` values and
//! floats (`%e %f %g %x %b` and `%v`).

use rego_eval::value::BigInt;

use super::super::float::format_float;
use super::super::quote::{is_print, quote_rune};
use super::{LOWER, Printer, UPPER};

impl Printer<'_> {
    // ---- integers ----

    pub(super) fn fmt_int(&mut self, v: u64, signed: bool, verb: char) {
        match verb {
            'v' if self.f.sharp_v && !signed => {
                let sharp = self.f.sharp;
                self.f.sharp = true;
                self.fmt_integer(v, 16, signed, verb, LOWER);
                self.f.sharp = sharp;
            }
            'v' | 'd' => self.fmt_integer(v, 10, signed, verb, LOWER),
            'b' => self.fmt_integer(v, 2, signed, verb, LOWER),
            'o' | 'O' => self.fmt_integer(v, 8, signed, verb, LOWER),
            'x' => self.fmt_integer(v, 16, signed, verb, LOWER),
            'X' => self.fmt_integer(v, 16, signed, verb, UPPER),
            'c' => {
                let c = if signed && (v as i64) < 0 {
                    '\u{fffd}'
                } else {
                    u32::try_from(v)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}')
                };
                self.pad(c.encode_utf8(&mut [0; 4]));
            }
            'q' => {
                let code = if signed && (v as i64) < 0 {
                    u64::MAX
                } else {
                    v
                };
                let quoted = quote_rune(code, self.f.plus);
                self.pad(&quoted);
            }
            'U' => self.fmt_unicode(v),
            _ => self.bad_verb(verb),
        }
    }

    pub(super) fn fmt_integer(
        &mut self,
        u: u64,
        base: u64,
        signed: bool,
        verb: char,
        digits: &[u8; 17],
    ) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative { u.wrapping_neg() } else { u };
        let mut prec = 0i64;
        if self.f.prec_present {
            prec = self.f.prec;
            if prec == 0 && u == 0 {
                let zero = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid);
                self.f.zero = zero;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.f.wid;
            if negative || self.f.plus || self.f.space {
                prec -= 1;
            }
        }
        // Digits right to left.
        let mut rev: Vec<u8> = Vec::with_capacity(24);
        while u >= base {
            rev.push(digits[(u % base) as usize]);
            u /= base;
        }
        rev.push(digits[u as usize]);
        while (rev.len() as i64) < prec {
            rev.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => rev.extend_from_slice(b"b0"),
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => {
                    rev.push(digits[16]);
                    rev.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            rev.extend_from_slice(b"o0");
        }
        if negative {
            rev.push(b'-');
        } else if self.f.plus {
            rev.push(b'+');
        } else if self.f.space {
            rev.push(b' ');
        }
        rev.reverse();
        let text = String::from_utf8(rev).unwrap_or_default();
        self.pad_no_zero(&text);
    }

    pub(super) fn fmt_unicode(&mut self, u: u64) {
        let mut prec = 4;
        if self.f.prec_present && self.f.prec > 4 {
            prec = self.f.prec as usize;
        }
        let hex = format!("{u:X}");
        let mut text = String::with_capacity(prec.max(hex.len()) + 8);
        text.push_str("U+");
        text.extend(std::iter::repeat_n('0', prec.saturating_sub(hex.len())));
        text.push_str(&hex);
        if self.f.sharp {
            if let Some(c) = u32::try_from(u).ok().and_then(char::from_u32) {
                if is_print(c) {
                    text.push_str(" '");
                    text.push(c);
                    text.push('\'');
                }
            }
        }
        self.pad_no_zero(&text);
    }

    /// `*big.Int`'s `Format`.
    pub(super) fn fmt_big(&mut self, x: &BigInt, verb: char) {
        let base = match verb {
            'b' => 2,
            'o' | 'O' => 8,
            'd' | 's' | 'v' => 10,
            'x' | 'X' => 16,
            _ => {
                self.buf.push_str(&format!("%!{verb}(big.Int={x})"));
                return;
            }
        };
        let negative = *x < BigInt::from(0);
        let sign = if negative {
            "-"
        } else if self.f.plus || self.f.plus_v {
            "+"
        } else if self.f.space {
            " "
        } else {
            ""
        };
        let sharp = self.f.sharp || self.f.sharp_v;
        let mut prefix = if sharp {
            match verb {
                'b' => "0b",
                'o' => "0",
                'x' => "0x",
                'X' => "0X",
                _ => "",
            }
        } else {
            ""
        };
        if verb == 'O' {
            prefix = "0o";
        }
        let mut digits = x.magnitude().to_str_radix(base);
        if verb == 'X' {
            digits.make_ascii_uppercase();
        }
        let mut zeros = 0i64;
        if self.f.prec_present {
            let len = digits.len() as i64;
            if len < self.f.prec {
                zeros = self.f.prec - len;
            } else if digits == "0" && self.f.prec == 0 {
                return;
            }
        }
        let length = (sign.len() + prefix.len() + digits.len()) as i64 + zeros;
        let (mut left, mut right) = (0, 0);
        if self.f.wid_present && length < self.f.wid {
            let d = self.f.wid - length;
            if self.f.minus {
                right = d;
            } else if self.f.zero && !self.f.prec_present {
                zeros = d;
            } else {
                left = d;
            }
        }
        let spaces = |n: i64| " ".repeat(n.max(0) as usize);
        self.buf.push_str(&spaces(left));
        self.buf.push_str(sign);
        self.buf.push_str(prefix);
        self.buf.push_str(&"0".repeat(zeros.max(0) as usize));
        self.buf.push_str(&digits);
        self.buf.push_str(&spaces(right));
    }

    // ---- floats ----

    pub(super) fn fmt_float_verb(&mut self, v: f64, verb: char) {
        match verb {
            'v' => self.fmt_float(v, b'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(v, verb as u8, -1),
            'f' | 'e' | 'E' => self.fmt_float(v, verb as u8, 6),
            'F' => self.fmt_float(v, b'f', 6),
            _ => self.bad_verb(verb),
        }
    }

    pub(super) fn fmt_float(&mut self, v: f64, verb: u8, prec: i64) {
        let prec = if self.f.prec_present {
            self.f.prec
        } else {
            prec
        };
        let text = format_float(v, verb, prec);
        // `num` carries an explicit sign in front.
        let mut num: Vec<u8> = if text.starts_with('-') || text.starts_with('+') {
            text.into_bytes()
        } else {
            let mut n = Vec::with_capacity(text.len() + 1);
            n.push(b'+');
            n.extend_from_slice(text.as_bytes());
            n
        };
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        if num.get(1) == Some(&b'I') || num.get(1) == Some(&b'N') {
            if num[1] == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            let text = String::from_utf8(num).unwrap_or_default();
            self.pad_no_zero(&text);
            return;
        }
        if self.f.sharp && verb != b'b' {
            let mut digits = 0i64;
            if matches!(verb, b'v' | b'g' | b'G' | b'x') {
                digits = if prec == -1 { 6 } else { prec };
            }
            let mut tail: Vec<u8> = Vec::new();
            let mut has_point = false;
            let mut saw_nonzero = false;
            let mut k = 1;
            while k < num.len() {
                match num[k] {
                    b'.' => has_point = true,
                    b'p' | b'P' => {
                        tail.extend_from_slice(&num[k..]);
                        num.truncate(k);
                        break;
                    }
                    b'e' | b'E' if verb != b'x' && verb != b'X' => {
                        tail.extend_from_slice(&num[k..]);
                        num.truncate(k);
                        break;
                    }
                    c => {
                        if c != b'0' {
                            saw_nonzero = true;
                        }
                        if saw_nonzero {
                            digits -= 1;
                        }
                    }
                }
                k += 1;
            }
            if !has_point {
                if num.len() == 2 && num[1] == b'0' {
                    digits -= 1;
                }
                num.push(b'.');
            }
            while digits > 0 {
                num.push(b'0');
                digits -= 1;
            }
            num.extend_from_slice(&tail);
        }
        let text = String::from_utf8(num).unwrap_or_default();
        if self.f.plus || !text.starts_with('+') {
            if self.f.zero && !self.f.minus && self.f.wid_present && self.f.wid > text.len() as i64
            {
                self.buf.push_str(&text[..1]);
                self.write_padding(self.f.wid - text.len() as i64);
                self.buf.push_str(&text[1..]);
                return;
            }
            self.pad(&text);
            return;
        }
        self.pad(&text[1..]);
    }
}
