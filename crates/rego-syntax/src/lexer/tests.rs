//! Lexer unit tests.

use super::*;

fn toks(src: &str) -> Vec<Tok> {
    let lexed = lex(src, FileId(0), 0..src.len(), false);
    assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
    lexed.tokens.into_iter().map(|(_, t, _)| t).collect()
}

/// Each token with the text under its span.
fn texts(src: &str) -> Vec<(Tok, &str)> {
    let lexed = lex(src, FileId(0), 0..src.len(), false);
    assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
    lexed
        .tokens
        .into_iter()
        .map(|(l, t, r)| (t, &src[l..r]))
        .collect()
}

fn ident(s: &str) -> (Tok, &str) {
    (Tok::Ident, s)
}

#[test]
fn keywords_next_to_dots_are_names() {
    assert_eq!(
        texts("input.if as.foo"),
        vec![
            ident("input"),
            (Tok::Dot, "."),
            ident("if"),
            ident("as"),
            (Tok::Dot, "."),
            ident("foo")
        ]
    );
    assert_eq!(texts("contains(a)")[0], ident("contains"));
    assert_eq!(toks("p contains x")[1], Tok::Contains);
}

#[test]
fn if_brace_is_one_token() {
    assert_eq!(toks("p if {")[1], Tok::IfLBrace);
    assert_eq!(toks("p if # c\n {")[1], Tok::IfLBrace);
    assert_eq!(toks("p if x")[1], Tok::If);
}

#[test]
fn newlines_separate_literals_only_inside_brackets() {
    assert_eq!(
        texts("p if {\n a\n b\n}"),
        vec![
            ident("p"),
            (Tok::IfLBrace, "if {"),
            ident("a"),
            (Tok::Newline, ""),
            ident("b"),
            (Tok::RBrace, "}")
        ]
    );
    // A keyword that the next token makes a name starts a literal like any name.
    for (src, name) in [
        ("p if {\n a\n as.b\n}", "as"),
        ("p if {\n a\n contains(x, y)\n}", "contains"),
    ] {
        let t = texts(src);
        assert_eq!(
            &t[2..5],
            &[ident("a"), (Tok::Newline, ""), ident(name)],
            "{src}"
        );
    }
    assert!(!toks("p := 1\nq := 2").contains(&Tok::Newline));
    assert!(!toks("{ a +\n b }").contains(&Tok::Newline));
    assert!(!toks("{ a\n with b as c }").contains(&Tok::Newline));
    assert!(!toks("[1,\n 2\n]").contains(&Tok::Newline));
}

#[test]
fn strings_decode_escapes() {
    let body = r#"a\n\u00e9\ud83d\ude00"#;
    let quoted = format!("\"{body}\"");
    assert_eq!(texts(&quoted), vec![(Tok::Str, quoted.as_str())]);
    assert_eq!(unescape(body), "a\né😀");
    assert_eq!(texts("`a\\n`"), vec![(Tok::RawStr, "`a\\n`")]);
    let lexed = lex(r#""\q""#, FileId(0), 0..4, false);
    assert_eq!(lexed.errors.len(), 1);
}

#[test]
fn templates_split_text_and_code() {
    let src = r#"$"a {x} \{y} {"}"}""#;
    let t = toks(src);
    assert_eq!(t, vec![Tok::Template]);
    let Ok(TemplateTok { pieces, raw: false }) = scan_template(src, 0) else {
        panic!("{t:?}")
    };
    assert_eq!(pieces.len(), 4);
    assert_eq!(pieces[0], TemplatePiece::Text("a ".into()));
    let TemplatePiece::Code(s, e) = pieces[1] else {
        panic!()
    };
    assert_eq!(&src[s..e], "x");
    assert_eq!(pieces[2], TemplatePiece::Text(" {y} ".into()));
    let TemplatePiece::Code(s, e) = pieces[3] else {
        panic!()
    };
    assert_eq!(&src[s..e], r#""}""#);
}

#[test]
fn if_brace_stays_apart_around_an_object() {
    assert_eq!(toks("p if {a: 1}")[1], Tok::If);
    assert_eq!(toks("p if {a: 1 | true}")[1], Tok::If);
    assert_eq!(toks("p if {[a]: 1}")[1], Tok::If);
    let nested = toks("p if { x := {a: 1}; q if {y} }");
    assert_eq!(nested[1], Tok::IfLBrace);
    assert_eq!(nested.iter().filter(|t| **t == Tok::IfLBrace).count(), 2);
    assert_eq!(toks("p if {")[1], Tok::IfLBrace);
}

#[test]
fn illegal_characters_are_reported() {
    let lexed = lex("p := 1 ^ 2", FileId(0), 0..10, false);
    assert_eq!(lexed.errors.len(), 1);
    assert!(lexed.errors[0].1.contains("illegal"));
}
