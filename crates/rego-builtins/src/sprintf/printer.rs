//! Go's `fmt.Sprintf`: verbs, flags, width, precision, argument indexes and the `%!v(MISSING)`
//! family of error texts, over the Go values OPA passes to it ([`GoArg`]).

mod numbers;

use rego_eval::value::BigInt;

use super::quote::{can_backquote, quote};

/// A Go value handed to `fmt.Sprintf`.
#[derive(Clone, Debug)]
pub(crate) enum GoArg {
    /// A signed integer with its Go type name (`int64`, `int`).
    Int(i64, &'static str),
    /// An unsigned byte (`uint8`), as `index` of a string yields in templates.
    Byte(u8),
    /// A `*big.Int`.
    Big(BigInt),
    /// A `float64`.
    Float(f64),
    /// A string with its Go type name (`string`, `json.Number`).
    Str(String, &'static str),
    /// A `bool`.
    Bool(bool),
    /// A nil interface.
    Nil,
    /// A `[]interface {}`.
    List(Vec<GoArg>),
    /// A `map[string]interface {}`, entries sorted by key.
    Map(Vec<(String, GoArg)>),
}

impl GoArg {
    /// Go's `reflect.TypeOf(x).String()`.
    fn type_name(&self) -> &'static str {
        match self {
            GoArg::Int(_, ty) | GoArg::Str(_, ty) => ty,
            GoArg::Byte(_) => "uint8",
            GoArg::Big(_) => "*big.Int",
            GoArg::Float(_) => "float64",
            GoArg::Bool(_) => "bool",
            GoArg::Nil => "<nil>",
            GoArg::List(_) => "[]interface {}",
            GoArg::Map(_) => "map[string]interface {}",
        }
    }
}

const LOWER: &[u8; 17] = b"0123456789abcdefx";
const UPPER: &[u8; 17] = b"0123456789ABCDEFX";

/// Go refuses widths, precisions and argument indexes beyond a million.
const MAX_NUM: i64 = 1_000_000;

#[derive(Clone, Copy, Default)]
struct Flags {
    wid: i64,
    prec: i64,
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
}

struct Printer<'a> {
    buf: String,
    f: Flags,
    arg: Option<&'a GoArg>,
    erroring: bool,
}

/// `fmt.Sprintf(format, args...)`.
pub(crate) fn sprintf(format: &str, args: &[GoArg]) -> String {
    let mut p = Printer {
        buf: String::with_capacity(format.len() + 16),
        f: Flags::default(),
        arg: None,
        erroring: false,
    };
    p.do_printf(format, args);
    p.buf
}

/// `fmt.Sprint(args...)`: `%v` of each, a space between operands when neither is a string.
pub(crate) fn sprint(args: &[GoArg]) -> String {
    let mut p = Printer {
        buf: String::new(),
        f: Flags::default(),
        arg: None,
        erroring: false,
    };
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, GoArg::Str(..));
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.f = Flags::default();
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// `fmt.Sprintln(args...)`: `%v` of each, spaces between, a newline at the end.
pub(crate) fn sprintln(args: &[GoArg]) -> String {
    let mut p = Printer {
        buf: String::new(),
        f: Flags::default(),
        arg: None,
        erroring: false,
    };
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.f = Flags::default();
        p.print_arg(arg, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// Parses a decimal number at `format[start..end]`: (value, found, next index). Overlong
/// numbers consume everything and count as absent, as in Go.
fn parse_num(format: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num = 0i64;
    let mut found = false;
    let mut i = start;
    while i < end && format[i].is_ascii_digit() {
        if !(-MAX_NUM..=MAX_NUM).contains(&num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(format[i] - b'0');
        found = true;
        i += 1;
    }
    (num, found, i)
}

/// Parses `[n]` at the start of `format`: (zero-based index, bytes consumed, ok).
fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, next) = parse_num(format, 1, i);
            if !ok || next != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

impl<'a> Printer<'a> {
    fn do_printf(&mut self, format: &str, args: &'a [GoArg]) {
        let bytes = format.as_bytes();
        let end = bytes.len();
        let mut arg_num = 0usize;
        let mut reordered = false;
        let mut i = 0;
        'format: while i < end {
            let mut good_arg_num = true;
            let last = i;
            while i < end && bytes[i] != b'%' {
                i += 1;
            }
            if i > last {
                self.buf.push_str(&format[last..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // the '%'
            self.f = Flags::default();
            // Flags, and the fast path of a simple lower-case verb.
            while i < end {
                let c = bytes[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    _ => {
                        if c.is_ascii_lowercase() && arg_num < args.len() {
                            if c == b'v' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.print_arg(&args[arg_num], char::from(c));
                            arg_num += 1;
                            i += 1;
                            continue 'format;
                        }
                        break;
                    }
                }
                i += 1;
            }

            // Argument index, width, precision.
            let mut after_index;
            (arg_num, i, after_index) = self.arg_number(
                arg_num,
                bytes,
                i,
                args.len(),
                &mut good_arg_num,
                &mut reordered,
            );
            if i < end && bytes[i] == b'*' {
                i += 1;
                let (num, is_int, next) = int_from_arg(args, arg_num);
                (self.f.wid, self.f.wid_present, arg_num) = (num, is_int, next);
                if !self.f.wid_present {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                if self.f.wid < 0 {
                    self.f.wid = -self.f.wid;
                    self.f.minus = true;
                    self.f.zero = false;
                }
                after_index = false;
            } else {
                (self.f.wid, self.f.wid_present, i) = parse_num(bytes, i, end);
                if after_index && self.f.wid_present {
                    good_arg_num = false;
                }
            }
            if i + 1 < end && bytes[i] == b'.' {
                i += 1;
                if after_index {
                    good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(
                    arg_num,
                    bytes,
                    i,
                    args.len(),
                    &mut good_arg_num,
                    &mut reordered,
                );
                if i < end && bytes[i] == b'*' {
                    i += 1;
                    let (num, is_int, next) = int_from_arg(args, arg_num);
                    (self.f.prec, self.f.prec_present, arg_num) = (num, is_int, next);
                    if self.f.prec < 0 {
                        self.f.prec = 0;
                        self.f.prec_present = false;
                    }
                    if !self.f.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    (self.f.prec, self.f.prec_present, i) = parse_num(bytes, i, end);
                    if !self.f.prec_present {
                        self.f.prec = 0;
                        self.f.prec_present = true;
                    }
                }
            }
            if !after_index {
                (arg_num, i, _) = self.arg_number(
                    arg_num,
                    bytes,
                    i,
                    args.len(),
                    &mut good_arg_num,
                    &mut reordered,
                );
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('?');
            i += verb.len_utf8();
            if verb == '%' {
                self.buf.push('%');
            } else if !good_arg_num {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(BADINDEX)");
            } else if arg_num >= args.len() {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(MISSING)");
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(&args[arg_num], verb);
                arg_num += 1;
            }
        }
        if !reordered && arg_num < args.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, arg) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if matches!(arg, GoArg::Nil) {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(arg.type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    /// An explicit `[n]` argument index at `format[i..]`, if any.
    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        num_args: usize,
        good: &mut bool,
        reordered: &mut bool,
    ) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        *reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && index >= 0 && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        *good = false;
        (arg_num, i + wid, ok)
    }

    // ---- padding ----

    fn write_padding(&mut self, n: i64) {
        if n <= 0 {
            return;
        }
        let c = if self.f.zero && !self.f.minus {
            '0'
        } else {
            ' '
        };
        self.buf.extend(std::iter::repeat_n(c, n as usize));
    }

    fn pad(&mut self, s: &str) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let width = self.f.wid - s.chars().count() as i64;
        if self.f.minus {
            self.buf.push_str(s);
            self.write_padding(width);
        } else {
            self.write_padding(width);
            self.buf.push_str(s);
        }
    }

    /// Pads `s` with spaces even under the `0` flag.
    fn pad_no_zero(&mut self, s: &str) {
        let zero = self.f.zero;
        self.f.zero = false;
        self.pad(s);
        self.f.zero = zero;
    }

    // ---- dispatch ----

    fn print_arg(&mut self, arg: &'a GoArg, verb: char) {
        self.arg = Some(arg);
        if let GoArg::Nil = arg {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb),
            }
            return;
        }
        match verb {
            'T' => {
                let name = arg.type_name();
                self.fmt_s(name);
                return;
            }
            'p' => {
                self.bad_verb(verb);
                return;
            }
            _ => {}
        }
        match arg {
            GoArg::Bool(b) => match verb {
                't' | 'v' => self.pad(if *b { "true" } else { "false" }),
                _ => self.bad_verb(verb),
            },
            GoArg::Int(i, _) => self.fmt_int(*i as u64, true, verb),
            GoArg::Byte(b) => self.fmt_int(u64::from(*b), false, verb),
            GoArg::Float(x) => self.fmt_float_verb(*x, verb),
            GoArg::Str(s, _) => self.fmt_string(s, verb),
            GoArg::Big(b) => self.fmt_big(b, verb),
            GoArg::List(items) => {
                self.buf.push('[');
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        self.buf.push(' ');
                    }
                    self.print_nested(item, verb);
                }
                self.buf.push(']');
            }
            GoArg::Map(entries) => {
                self.buf.push_str("map[");
                for (k, (key, value)) in entries.iter().enumerate() {
                    if k > 0 {
                        self.buf.push(' ');
                    }
                    self.fmt_string(key, verb);
                    self.buf.push(':');
                    self.print_nested(value, verb);
                }
                self.buf.push(']');
            }
            GoArg::Nil => {}
        }
    }

    /// An element of a slice or map: a nil prints as `<nil>` whatever the verb.
    fn print_nested(&mut self, arg: &'a GoArg, verb: char) {
        let saved = self.arg;
        if matches!(arg, GoArg::Nil) {
            self.buf.push_str("<nil>");
        } else {
            self.print_arg(arg, verb);
        }
        self.arg = saved;
    }

    /// `%!verb(type=value)`.
    fn bad_verb(&mut self, verb: char) {
        self.erroring = true;
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        match self.arg {
            Some(GoArg::Nil) | None => self.buf.push_str("<nil>"),
            Some(arg) => {
                self.buf.push_str(arg.type_name());
                self.buf.push('=');
                self.print_arg(arg, 'v');
            }
        }
        self.buf.push(')');
        self.erroring = false;
    }

    // ---- strings ----

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s);
        self.pad(s);
    }

    fn truncate<'s>(&self, s: &'s str) -> &'s str {
        if self.f.prec_present {
            if let Some((i, _)) = s.char_indices().nth(self.f.prec.max(0) as usize) {
                return &s[..i];
            }
        }
        s
    }

    fn fmt_string(&mut self, s: &str, verb: char) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(s),
            'v' | 's' => self.fmt_s(s),
            'x' => self.fmt_sx(s, LOWER),
            'X' => self.fmt_sx(s, UPPER),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb),
        }
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s);
        if self.f.sharp && can_backquote(s) {
            let quoted = format!("`{s}`");
            self.pad(&quoted);
            return;
        }
        let quoted = quote(s, self.f.plus);
        self.pad(&quoted);
    }

    fn fmt_sx(&mut self, s: &str, digits: &[u8; 17]) {
        let bytes = s.as_bytes();
        let mut length = bytes.len() as i64;
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.f.wid);
            }
            return;
        }
        if self.f.wid_present && self.f.wid > width && !self.f.minus {
            self.write_padding(self.f.wid - width);
        }
        let prefix = ['0', char::from(digits[16])];
        if self.f.sharp {
            self.buf.extend(prefix);
        }
        for (k, &c) in bytes[..length as usize].iter().enumerate() {
            if self.f.space && k > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.extend(prefix);
                }
            }
            self.buf.push(char::from(digits[usize::from(c >> 4)]));
            self.buf.push(char::from(digits[usize::from(c & 15)]));
        }
        if self.f.wid_present && self.f.wid > width && self.f.minus {
            self.write_padding(self.f.wid - width);
        }
    }
}

/// The integer argument a `*` width or precision refers to: (value, is an int, next index).
fn int_from_arg(args: &[GoArg], arg_num: usize) -> (i64, bool, usize) {
    let Some(arg) = args.get(arg_num) else {
        return (0, false, arg_num);
    };
    let (num, is_int) = match arg {
        GoArg::Int(i, _) => (*i, true),
        GoArg::Byte(b) => (i64::from(*b), true),
        _ => (0, false),
    };
    if !(-MAX_NUM..=MAX_NUM).contains(&num) {
        return (0, false, arg_num + 1);
    }
    (num, is_int, arg_num + 1)
}
