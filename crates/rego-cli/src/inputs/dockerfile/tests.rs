use super::*;

fn j(text: &str) -> Value {
    Value::from_json_str(text).expect("valid JSON")
}

/// The instruction list of a parsed Dockerfile.
fn instructions(text: &str) -> Vec<Value> {
    let value = parse("Dockerfile", text).unwrap_or_else(|e| panic!("{e}"));
    let outer = value.as_array().expect("an array");
    assert_eq!(outer.len(), 1, "one configuration");
    outer[0].as_array().expect("an instruction array").to_vec()
}

/// One instruction's fields as JSON text, for compact comparisons.
fn field(instruction: &Value, key: &str) -> String {
    instruction
        .object_get_str(key)
        .map(Value::to_json_string)
        .unwrap_or_default()
}

#[test]
fn the_whole_shape_of_a_small_file() {
    let value = parse("Dockerfile", "FROM nginx:latest\nRUN echo hi\n").expect("valid");
    assert_eq!(
        value,
        j(r#"[[
            {"Cmd": "from", "SubCmd": "", "JSON": false, "Flags": [],
             "Value": ["nginx:latest"], "Stage": 0},
            {"Cmd": "run", "SubCmd": "", "JSON": false, "Flags": [],
             "Value": ["echo hi"], "Stage": 0}
        ]]"#)
    );
}

#[test]
fn stages_flags_and_json_form() {
    let text = "\
FROM --platform=linux/amd64 golang:1.22 AS build
WORKDIR /src
COPY --from=deps --chown=app:app go.mod go.sum ./
RUN [\"go\", \"build\", \"-o\", \"/app\"]

FROM scratch as final
COPY --from=build /app /app
ENTRYPOINT [\"/app\"]
CMD --help
";
    let all = instructions(text);
    let summary: Vec<(String, String, String, String, String)> = all
        .iter()
        .map(|i| {
            (
                field(i, "Cmd"),
                field(i, "Flags"),
                field(i, "Value"),
                field(i, "JSON"),
                field(i, "Stage"),
            )
        })
        .collect();
    let expected = [
        (
            "\"from\"",
            r#"["--platform=linux/amd64"]"#,
            r#"["golang:1.22","AS","build"]"#,
            "false",
            "0",
        ),
        ("\"workdir\"", "[]", r#"["/src"]"#, "false", "0"),
        (
            "\"copy\"",
            r#"["--from=deps","--chown=app:app"]"#,
            r#"["go.mod","go.sum","./"]"#,
            "false",
            "0",
        ),
        (
            "\"run\"",
            "[]",
            r#"["go","build","-o","/app"]"#,
            "true",
            "0",
        ),
        (
            "\"from\"",
            "[]",
            r#"["scratch","as","final"]"#,
            "false",
            "1",
        ),
        (
            "\"copy\"",
            r#"["--from=build"]"#,
            r#"["/app","/app"]"#,
            "false",
            "1",
        ),
        ("\"entrypoint\"", "[]", r#"["/app"]"#, "true", "1"),
        ("\"cmd\"", r#"["--help"]"#, "null", "false", "1"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(a, b, c, d, e)| {
            (
                a.to_string(),
                b.to_string(),
                c.to_string(),
                d.to_string(),
                e.to_string(),
            )
        })
        .collect();
    assert_eq!(summary, expected);
}

#[test]
fn continuations_and_comments() {
    let text = "\
# syntax=docker/dockerfile:1
# Base image
FROM alpine
RUN apk add \\
    # a comment inside the continuation
    curl \\

    git
   # indented comment
USER app
# trailing comment, dropped
";
    let all = instructions(text);
    let cmds: Vec<String> = all.iter().map(|i| field(i, "Cmd")).collect();
    assert_eq!(
        cmds,
        [
            "\"comment\"",
            "\"comment\"",
            "\"from\"",
            "\"run\"",
            "\"comment\"",
            "\"user\""
        ]
    );
    assert_eq!(field(&all[0], "Value"), r#"["syntax=docker/dockerfile:1"]"#);
    assert_eq!(field(&all[1], "Value"), r#"["Base image"]"#);
    assert_eq!(field(&all[1], "Flags"), "null");
    assert_eq!(field(&all[3], "Value"), r#"["apk add     curl     git"]"#);
    // BuildKit takes the comment text from the second character of the raw line.
    assert_eq!(field(&all[4], "Value"), r##"["# indented comment"]"##);
}

#[test]
fn env_label_arg_and_healthcheck_values() {
    let text = "\
FROM alpine
ENV A=1 B=\"two words\" C=x\\ y
ENV OLD value with spaces
LABEL org.opencontainers.image.title='demo'
ARG VERSION=1.0 DEBUG
HEALTHCHECK --interval=5m CMD curl -f http://localhost/
HEALTHCHECK NONE
EXPOSE 80/tcp 443
ONBUILD RUN make
STOPSIGNAL SIGTERM
";
    let all = instructions(text);
    let values: Vec<String> = all.iter().map(|i| field(i, "Value")).collect();
    assert_eq!(
        values,
        [
            r#"["alpine"]"#,
            r#"["A","1","=","B","\"two words\"","=","C","x\\ y","="]"#,
            r#"["OLD","value with spaces",""]"#,
            r#"["org.opencontainers.image.title","'demo'","="]"#,
            r#"["VERSION=1.0","DEBUG"]"#,
            r#"["CMD","curl -f http://localhost/"]"#,
            r#"["NONE"]"#,
            r#"["80/tcp","443"]"#,
            r#"["make"]"#,
            r#"["SIGTERM"]"#,
        ]
    );
    assert_eq!(field(&all[5], "Flags"), r#"["--interval=5m"]"#);
    assert_eq!(field(&all[8], "Cmd"), "\"onbuild\"");
    assert_eq!(field(&all[8], "SubCmd"), "\"RUN\"");
}

#[test]
fn escape_directive_and_heredocs() {
    let text = "\
# escape=`
FROM mcr.microsoft.com/windows
RUN dir `
    c:\\
COPY <<EOF /etc/app.conf
FROM this is not an instruction
EOF
RUN <<-END bash
\techo in heredoc
\tEND
USER app
";
    let all = instructions(text);
    let values: Vec<String> = all.iter().map(|i| field(i, "Value")).collect();
    assert_eq!(
        values,
        [
            r#"["escape=`"]"#,
            r#"["mcr.microsoft.com/windows"]"#,
            r#"["dir     c:\\"]"#,
            r#"["<<EOF","/etc/app.conf"]"#,
            r#"["<<-END bash"]"#,
            r#"["app"]"#,
        ]
    );
    assert_eq!(field(&all[5], "Stage"), "0");
}

#[test]
fn errors_name_the_line() {
    let cases = [
        ("FROM a\nFOO bar\n", 2, "unknown instruction: FOO"),
        (
            "FROM a\nRUN [1, 2]\n",
            2,
            "arrays must be comprised of strings",
        ),
        ("FROM a\nENV A=1 B\n", 2, "can't find = in"),
        ("FROM a\nENV ONLYKEY\n", 2, "ENV must have two arguments"),
        (
            "FROM a b\n",
            1,
            "FROM requires either one or three arguments",
        ),
        ("# escape=x\nFROM a\n", 1, "invalid escape token"),
        ("FROM a\nRUN <<EOF\necho\n", 2, "unterminated heredoc"),
        ("# only a comment\n\n", 2, "file with no instructions"),
    ];
    for (text, line, message) in cases {
        let e = parse("Dockerfile", text).expect_err(text);
        assert_eq!(e.line, Some(line), "{text:?}: {e}");
        assert!(e.message.contains(message), "{text:?}: {e}");
    }
}

#[test]
fn builder_flags_unquote_and_stop_at_the_first_other_word() {
    assert_eq!(
        builder_flags("--a=1 --b=\"x y\" --c rest --d"),
        (
            "rest --d".to_string(),
            vec!["--a=1".into(), "--b=x y".into(), "--c".into()]
        )
    );
    assert_eq!(
        builder_flags("-- --not-a-flag"),
        (" --not-a-flag".to_string(), vec![])
    );
    assert_eq!(
        builder_flags("--only"),
        (String::new(), vec!["--only".to_string()])
    );
}

#[test]
fn words_keep_quotes_and_escapes() {
    assert_eq!(
        words(r#"a="b c" d='e\ f' g\ h"#, '\\'),
        [r#"a="b c""#, r"d='e\ f'", r"g\ h"]
    );
    assert_eq!(words("  ", '\\'), Vec::<String>::new());
    assert_eq!(words(r#"x="""#, '\\'), [r#"x="""#]);
}
