//! `strings.render_template(template, vars)`: Go's `text/template` language over the
//! variables, as OPA runs it. The variables reach the template as Go decodes JSON (objects as
//! maps with sorted keys, numbers as `json.Number` strings, null as nil), and a missing value
//! prints as `<undefined>`.
//!
//! Supported: text and `{{ }}` actions with `{{-`/`-}}` trimming and comments; fields,
//! variables (`$x := ...`, `$x = ...`), pipelines `|`, parenthesized pipelines; `if`/`else
//! if`, `range` (lists, maps in key order, integers; `break`, `continue`, `else`), `with`/
//! `else with`, `define`/`template`/`block`; the functions `and or not len index slice print
//! printf println html js urlquery eq ne lt le gt ge`. Error texts follow Go's.

mod exec;
mod funcs;
mod lex;
mod parse;

use std::collections::BTreeMap;
use std::rc::Rc;

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

use crate::args;
use exec::TVal;

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[BuiltinDef {
    name: "strings.render_template",
    arity: 2,
    func: render_template,
}];

/// Parsing and running a template recurse as deep as the template nests; they run on a
/// thread of their own with this much stack, so that no template can overflow the caller's.
const STACK_SIZE: usize = 64 << 20;

fn render_template(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let text = args::string(a, 0)?;
    args::object(a, 1)?;
    let vars = &a[1];
    let run = move || -> Result<String, String> {
        let data = to_template_value(vars)?;
        let templates = parse::parse(text)?;
        exec::execute(text, &templates, data)
    };
    let out = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("render_template".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, run)
            .map_err(|e| e.to_string())?
            .join()
            .unwrap_or_else(|_| Err("template execution failed".into()))
    })
    .map_err(BuiltinError::msg)?;
    Ok(Value::from(out.replace("<no value>", "<undefined>")))
}

/// The first character of a value's Rego text, for JSON decoding errors.
fn first_char(v: &Value) -> char {
    v.to_string().chars().next().unwrap_or(' ')
}

/// The Go value OPA's JSON round trip makes of `v`; sets and non-string keys are not JSON,
/// and fail with the decoder's error.
fn to_template_value(v: &Value) -> Result<TVal, String> {
    Ok(match v {
        Value::Null => TVal::Nil,
        Value::Bool(b) => TVal::Bool(*b),
        Value::Number(n) => TVal::Number(n.to_string().into()),
        Value::String(s) => TVal::Str(s.as_str().into()),
        Value::Array(items) => TVal::List(Rc::new(
            items
                .iter()
                .map(to_template_value)
                .collect::<Result<_, _>>()?,
        )),
        Value::Object(entries) => {
            let mut map = BTreeMap::new();
            for (k, v) in entries.iter() {
                let Some(key) = k.as_str() else {
                    return Err(format!(
                        "invalid character '{}' looking for beginning of object key string",
                        first_char(k)
                    ));
                };
                map.insert(key.to_string(), to_template_value(v)?);
            }
            TVal::Map(Rc::new(map))
        }
        Value::Set(items) => {
            return Err(match items.as_slice() {
                [] => "invalid character 's' looking for beginning of value".to_string(),
                [Value::String(_), rest @ ..] => format!(
                    "invalid character '{}' after object key",
                    if rest.is_empty() { '}' } else { ',' }
                ),
                [first, ..] => format!(
                    "invalid character '{}' looking for beginning of object key string",
                    first_char(first)
                ),
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn render(template: &str, vars: &str) -> Result<String, String> {
        let vars = Value::from_json_str(vars).unwrap();
        call("strings.render_template", &[Value::from(template), vars])
            .map(|v| v.as_str().unwrap().to_string())
            .map_err(|e| e.message().to_string())
    }

    const VARS: &str = r#"{"s":"hello","n":null,"num":2023,"l":["a",2,null,{"q":1}],"m":{"k":"v","a":[1,2]},"nul":null}"#;

    fn ok(template: &str) -> String {
        render(template, VARS).unwrap_or_else(|e| panic!("{template}: {e}"))
    }

    fn err(template: &str) -> String {
        render(template, VARS).unwrap_err()
    }

    #[test]
    fn conformance_cases() {
        assert_eq!(
            render("{{.test}}", r#"{"test":"hello world"}"#).unwrap(),
            "hello world"
        );
        assert_eq!(render("{{.test}}", r#"{"test":2023}"#).unwrap(), "2023");
        assert_eq!(
            render(
                "{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}",
                r#"{"hellonames":["rohan","john doe"]}"#
            )
            .unwrap(),
            "hello rohan,hello john doe"
        );
        assert_eq!(
            render("{{.testvarnotprovided}}", r#"{"test":"x"}"#).unwrap(),
            "<undefined>"
        );
        assert_eq!(
            render("test {{.foo}} {{.bar}} {{.baz}}", r#"{"baz":1}"#).unwrap(),
            "test <undefined> <undefined> 1"
        );
    }

    #[test]
    fn values_and_fields() {
        assert_eq!(
            ok("{{.x}} {{.x.y}} {{.nul}} [{{.nul}}]"),
            "<undefined> <undefined> <undefined> [<undefined>]"
        );
        assert_eq!(ok("{{.l}}"), "[a 2 <nil> map[q:1]]");
        assert_eq!(ok("{{.m}}"), "map[a:[1 2] k:v]");
        assert_eq!(
            ok("{{$}}"),
            "map[l:[a 2 <nil> map[q:1]] m:map[a:[1 2] k:v] n:<nil> nul:<nil> num:2023 s:hello]"
        );
        assert_eq!(
            ok("{{$.s}} {{(.m).k}} {{(index .l 3).q}} {{.num.String}}"),
            "hello v 1 2023"
        );
        assert_eq!(
            ok("{{1e3}} {{0x10}} {{'a'}} {{1.5}} {{true}} {{\"q\"}} {{`r`}}"),
            "1000 16 97 1.5 true q r"
        );
        assert_eq!(
            err("{{.n.y}}"),
            r#"template: template:1:4: executing "template" at <.n.y>: nil pointer evaluating interface {}.y"#
        );
        assert_eq!(
            err("{{.s.y}}"),
            r#"template: template:1:4: executing "template" at <.s.y>: can't evaluate field y in type interface {}"#
        );
        assert_eq!(
            err("{{.x 1}}"),
            r#"template: template:1:2: executing "template" at <.x>: x is not a method but has arguments"#
        );
        assert_eq!(
            err("{{nil}}"),
            r#"template: template:1:2: executing "template" at <nil>: nil is not a command"#
        );
    }

    #[test]
    fn control_structures() {
        assert_eq!(ok("{{if .n}}y{{else}}n{{end}}"), "n");
        assert_eq!(ok("{{if .x}}a{{else if .s}}b{{end}}"), "b");
        assert_eq!(ok("{{with .x}}a{{else with .s}}{{.}}{{end}}"), "hello");
        assert_eq!(ok("{{with .m}}{{.k}}{{end}}"), "v");
        assert_eq!(
            ok("{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}"),
            "a=[1 2];k=v;"
        );
        assert_eq!(
            ok("{{range $i, $e := .l}}{{$i}}:{{$e}} {{end}}"),
            "0:a 1:2 2:<undefined> 3:map[q:1] "
        );
        assert_eq!(ok("{{range .m}}{{.}}{{end}}"), "[1 2]v");
        assert_eq!(ok("{{range .missing}}x{{else}}empty{{end}}"), "empty");
        assert_eq!(ok("{{range .l}}{{.}}{{break}}{{end}}"), "a");
        assert_eq!(ok("{{range 3}}{{.}}{{end}}"), "012");
        assert_eq!(
            ok("{{range $i, $e := .l}}{{if eq $i 1}}{{continue}}{{end}}{{$i}}{{end}}"),
            "023"
        );
        assert_eq!(ok("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}"), "2");
        assert_eq!(
            ok("{{define \"x\"}}X{{.}}{{end}}{{template \"x\" 5}}"),
            "X5"
        );
        assert_eq!(ok("{{block \"b\" .s}}[{{.}}]{{end}}"), "[hello]");
        assert_eq!(
            err("{{range .s}}{{end}}"),
            r#"template: template:1:8: executing "template" at <.s>: range can't iterate over hello"#
        );
        assert_eq!(
            err("{{template \"x\"}}"),
            r#"template: template:1:11: executing "template" at <{{template "x"}}>: template "x" not defined"#
        );
        assert!(
            err("{{define \"r\"}}{{template \"r\"}}{{end}}{{template \"r\"}}")
                .contains("exceeded maximum template depth")
        );
        let deep = "{{if true}}".repeat(900) + "x" + &"{{end}}".repeat(900);
        assert_eq!(ok(&deep), "x");
        let deeper = "{{if true}}".repeat(1100) + "x" + &"{{end}}".repeat(1100);
        assert!(err(&deeper).contains("max expression depth exceeded"));
        let parens = "{{".to_string() + &"(".repeat(2000) + "1" + &")".repeat(2000) + "}}";
        assert!(err(&parens).contains("max expression depth exceeded"));
    }

    #[test]
    fn trimming_and_comments() {
        assert_eq!(ok("{{- .s -}}"), "hello");
        assert_eq!(ok("  {{- .s}}  "), "hello  ");
        assert_eq!(ok("a  {{- .s -}}  \n b"), "ahellob");
        assert_eq!(ok("{{/* c */}}x"), "x");
        assert_eq!(ok("{{- /* c */ -}} x"), "x");
        assert_eq!(ok("a\n{{/* multi\nline */}}b"), "a\nb");
    }

    #[test]
    fn functions() {
        assert_eq!(
            ok(
                "{{eq .missing \"x\"}} {{eq .n \"x\"}} {{eq .num \"2023\"}} {{eq 1 2 1}} {{ne 1 2}}"
            ),
            "false false true true true"
        );
        assert_eq!(
            ok("{{lt \"a\" \"b\"}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}}"),
            "true true true false"
        );
        assert_eq!(
            ok("{{len .s}} {{len .num}} {{len .l}} {{len .m}}"),
            "5 4 4 2"
        );
        assert_eq!(
            ok("{{index .l 1}} {{index .s 0}} {{index .m \"k\"}} {{index .m \"zz\"}}"),
            "2 104 v <undefined>"
        );
        assert_eq!(
            ok("{{slice .l 1 3}} {{slice .s 1 2}} {{slice .s 2}}"),
            "[2 <nil>] e llo"
        );
        assert_eq!(
            ok("{{and 1 0 2}} {{or 0 \"\" 3}} {{not .l}} {{and 1 2}}"),
            "0 3 false 2"
        );
        assert_eq!(
            ok("{{printf \"%v %d %s\" .num .num .l}}"),
            "2023 %!d(json.Number=2023) [a 2 <nil> map[q:1]]"
        );
        assert_eq!(
            ok("{{print 1 2 \"a\" \"b\" 3}}|{{println 1 \"a\"}}|{{print nil}}|{{print .missing}}"),
            "1 2ab3|1 a\n|<nil>|<nil>"
        );
        assert_eq!(
            ok("{{printf \"%T %T %T %T\" 1 1.5 \"s\" .l}}"),
            "int float64 string []interface {}"
        );
        assert_eq!(
            ok("{{html \"<a&b>\"}} {{js \"a'b<\"}} {{urlquery \"a b&c\"}} {{html .missing}}"),
            r"&lt;a&amp;b&gt; a\'b\u003C a+b%26c &lt;no value&gt;"
        );
        assert_eq!(
            ok("{{\"a\" | printf \"%s-%s\" \"b\"}} {{.s | len}} {{.x | printf \"%q\"}}"),
            "b-a 5 %!q(<nil>)"
        );
        assert_eq!(
            err("{{eq .num 1}}"),
            r#"template: template:1:2: executing "template" at <eq .num 1>: error calling eq: incompatible types for comparison"#
        );
        assert_eq!(
            err("{{index .l 5}}"),
            r#"template: template:1:2: executing "template" at <index .l 5>: error calling index: index out of range: 5"#
        );
        assert_eq!(
            err("{{not}}"),
            r#"template: template:1:2: executing "template" at <not>: wrong number of args for not: want 1 got 0"#
        );
        assert_eq!(
            err("{{printf .num}}"),
            r#"template: template:1:9: executing "template" at <.num>: wrong type for value; expected string; got json.Number"#
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(err("{{.x"), "template: template:1: unclosed action");
        assert_eq!(err("{{if .x}}"), "template: template:1: unexpected EOF");
        assert_eq!(err("{{end}}"), "template: template:1: unexpected {{end}}");
        assert_eq!(
            err("{{foo}}"),
            r#"template: template:1: function "foo" not defined"#
        );
        assert_eq!(
            err("{{$x}}"),
            r#"template: template:1: undefined variable "$x""#
        );
        assert_eq!(
            err("{{break}}"),
            "template: template:1: {{break}} outside {{range}}"
        );
    }

    #[test]
    fn variables_that_are_not_json() {
        let set = Value::object_from(vec![(Value::from("a"), Value::empty_set())]);
        let e = call("strings.render_template", &[Value::from("x"), set]).unwrap_err();
        assert_eq!(
            e.message(),
            "invalid character 's' looking for beginning of value"
        );
        let e = call(
            "strings.render_template",
            &[Value::from("x"), Value::from(1)],
        )
        .unwrap_err();
        assert_eq!(e.message(), "operand 2 must be object but got number");
    }
}
