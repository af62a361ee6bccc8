//! `rego.parse_module`: parses Rego source and returns OPA's JSON form of the module's AST.
//!
//! Terms are `{"type": ..., "value": ...}`; expressions are `{"index": i, "terms": ...}` where
//! calls and operators are arrays whose first element is the operator's ref
//! (`[{"type":"ref","value":[{"type":"var","value":"equal"}]}, lhs, rhs]`). Locations are
//! not included.

use crate::args;
use rego_eval::rego_syntax::ast::{
    AssignOp, Else, Expr, ExprKind, HeadKind, Import, Literal, LiteralKind, Module, Query, RefArg,
    Rule, TemplatePart, With,
};
use rego_eval::rego_syntax::{SourceMap, parse_module};
use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Value};

/// The builtins of this file.
pub(crate) const BUILTINS: &[BuiltinDef] = &[BuiltinDef {
    name: "rego.parse_module",
    arity: 2,
    func: rego_parse_module,
}];

fn rego_parse_module(_: &BuiltinContext<'_>, a: &[Value]) -> Result<Value, BuiltinError> {
    let filename = args::string(a, 0)?;
    let source = args::string(a, 1)?;
    let mut sources = SourceMap::new();
    let file = sources.add(filename, source);
    let module = parse_module(&sources, file).map_err(|e| BuiltinError::msg(e.to_string()))?;
    Ok(Converter::default().module(&module))
}

/// Builds an object from string keys.
fn obj(entries: Vec<(&str, Value)>) -> Value {
    Value::object_from(
        entries
            .into_iter()
            .map(|(k, v)| (Value::string(k), v))
            .collect(),
    )
}

/// A term `{"type": ty, "value": value}`.
fn term(ty: &str, value: Value) -> Value {
    obj(vec![("type", Value::string(ty)), ("value", value)])
}

fn var(name: &str) -> Value {
    term("var", Value::string(name))
}

fn string(s: &str) -> Value {
    term("string", Value::string(s))
}

/// The ref term naming an operator or function, `[var name]` or `[var a, string b, ...]`.
fn op_ref(name: &str) -> Value {
    let mut parts = name.split('.');
    let mut items = vec![var(parts.next().unwrap_or_default())];
    items.extend(parts.map(string));
    term("ref", Value::array(items))
}

/// Converts one module, numbering wildcards `$0`, `$1`, ... as OPA's parser does.
#[derive(Default)]
struct Converter {
    wildcards: usize,
}

impl Converter {
    fn module(&mut self, m: &Module) -> Value {
        let mut path = vec![var("data")];
        path.extend(m.package.path.iter().map(|n| string(&n.name)));
        let mut entries = vec![("package", obj(vec![("path", Value::array(path))]))];
        if !m.imports.is_empty() {
            let imports = m.imports.iter().map(|i| self.import(i)).collect();
            entries.push(("imports", Value::array(imports)));
        }
        if !m.rules.is_empty() {
            let rules = m.rules.iter().map(|r| self.rule(r)).collect();
            entries.push(("rules", Value::array(rules)));
        }
        obj(entries)
    }

    fn import(&mut self, i: &Import) -> Value {
        let mut entries = vec![("path", self.term(&i.path))];
        if let Some(alias) = &i.alias {
            entries.push(("alias", Value::string(&alias.name)));
        }
        obj(entries)
    }

    fn rule(&mut self, r: &Rule) -> Value {
        let h = &r.head;
        let reference = match self.term(&h.reference) {
            t if t.object_get_str("type").and_then(Value::as_str) == Some("var") => {
                Value::array(vec![t])
            }
            t => t.object_get_str("value").cloned().unwrap_or(Value::Null),
        };
        let mut head = Vec::new();
        let single = reference.as_array().is_some_and(|a| a.len() == 1);
        if single && let Some(name) = h.reference.as_var() {
            head.push(("name", Value::string(name)));
        }
        head.push(("ref", reference));
        if let Some(params) = &h.args {
            let params = params.iter().map(|p| self.term(p)).collect();
            head.push(("args", Value::array(params)));
        }
        let mut assign = false;
        let mut value = None;
        match &h.kind {
            HeadKind::Value { op, value: v } => {
                assign = *op == Some(AssignOp::ColonEquals);
                value = Some(match v {
                    Some(v) => self.term(v),
                    None => term("boolean", Value::Bool(true)),
                });
            }
            HeadKind::Contains { member } => head.push(("key", self.term(member))),
        }
        if let Some(v) = &value {
            head.push(("value", v.clone()));
        }
        if assign {
            head.push(("assign", Value::Bool(true)));
        }
        let mut entries = Vec::new();
        if r.is_default {
            entries.push(("default", Value::Bool(true)));
        }
        entries.push(("head", obj(head.clone())));
        entries.push(("body", self.body(r.body.as_ref())));
        if let Some(e) = self.elses(&r.elses, &head, value.as_ref()) {
            entries.push(("else", e));
        }
        obj(entries)
    }

    /// The `else` chain, each branch a rule whose head repeats the rule's name and ref.
    fn elses(
        &mut self,
        elses: &[Else],
        head: &[(&str, Value)],
        own_value: Option<&Value>,
    ) -> Option<Value> {
        let (first, rest) = elses.split_first()?;
        let value = match &first.value {
            Some(v) => self.term(v),
            None => own_value
                .cloned()
                .unwrap_or_else(|| term("boolean", Value::Bool(true))),
        };
        let mut h: Vec<(&str, Value)> = head
            .iter()
            .filter(|(k, _)| *k != "value" && *k != "assign")
            .cloned()
            .collect();
        h.push(("value", value));
        if first.op == Some(AssignOp::ColonEquals) {
            h.push(("assign", Value::Bool(true)));
        }
        let mut entries = vec![("head", obj(h)), ("body", self.body(first.body.as_ref()))];
        if let Some(e) = self.elses(rest, head, own_value) {
            entries.push(("else", e));
        }
        Some(obj(entries))
    }

    /// A body; an absent one is OPA's `[true]`.
    fn body(&mut self, q: Option<&Query>) -> Value {
        match q {
            Some(q) => self.query(q),
            None => Value::array(vec![obj(vec![
                ("index", Value::from_i64(0)),
                ("terms", term("boolean", Value::Bool(true))),
            ])]),
        }
    }

    fn query(&mut self, q: &Query) -> Value {
        let exprs = q
            .literals
            .iter()
            .enumerate()
            .map(|(i, l)| self.literal(i, l))
            .collect();
        Value::array(exprs)
    }

    fn literal(&mut self, index: usize, l: &Literal) -> Value {
        let mut entries = vec![("index", Value::from_i64(index as i64))];
        let mut kind = &l.kind;
        let mut negated = false;
        while let LiteralKind::Not { inner } = kind {
            negated = !negated;
            kind = inner;
        }
        if negated {
            entries.push(("negated", Value::Bool(true)));
        }
        entries.push(("terms", self.literal_terms(kind)));
        if !l.with.is_empty() {
            let with = l.with.iter().map(|w| self.with(w)).collect();
            entries.push(("with", Value::array(with)));
        }
        obj(entries)
    }

    fn with(&mut self, w: &With) -> Value {
        obj(vec![
            ("target", self.term(&w.target)),
            ("value", self.term(&w.value)),
        ])
    }

    /// An expression's `terms`: a single term, an operator/call array, or a declaration.
    fn literal_terms(&mut self, kind: &LiteralKind) -> Value {
        match kind {
            LiteralKind::Expr { expr } => match self.call_parts(expr) {
                Some(parts) => Value::array(parts),
                None => self.term(expr),
            },
            LiteralKind::Not { inner } => self.literal_terms(inner),
            LiteralKind::Assign { lhs, rhs } => {
                Value::array(vec![op_ref("assign"), self.term(lhs), self.term(rhs)])
            }
            LiteralKind::Unify { lhs, rhs } => {
                Value::array(vec![op_ref("eq"), self.term(lhs), self.term(rhs)])
            }
            LiteralKind::SomeVars { vars } => {
                let symbols = vars.iter().map(|v| var(&v.name)).collect();
                obj(vec![("symbols", Value::array(symbols))])
            }
            LiteralKind::SomeIn {
                key,
                value,
                collection,
            } => {
                let call = self.member_call(key.as_ref(), value, collection);
                obj(vec![("symbols", Value::array(vec![call]))])
            }
            LiteralKind::Every {
                key,
                value,
                domain,
                body,
            } => {
                let mut entries = Vec::new();
                if let Some(k) = key {
                    entries.push(("key", var(&k.name)));
                }
                entries.push(("value", var(&value.name)));
                entries.push(("domain", self.term(domain)));
                entries.push(("body", self.query(body)));
                obj(entries)
            }
        }
    }

    /// `internal.member_2(v, xs)` or `internal.member_3(k, v, xs)` as a call term.
    fn member_call(&mut self, key: Option<&Expr>, value: &Expr, collection: &Expr) -> Value {
        let mut parts = match key {
            Some(k) => vec![op_ref("internal.member_3"), self.term(k)],
            None => vec![op_ref("internal.member_2")],
        };
        parts.push(self.term(value));
        parts.push(self.term(collection));
        term("call", Value::array(parts))
    }

    /// For calls and operators, `[operator ref, operands...]`.
    fn call_parts(&mut self, e: &Expr) -> Option<Vec<Value>> {
        match &e.kind {
            ExprKind::Call { func, args } => {
                let mut parts = vec![self.func_ref(func)];
                parts.extend(args.iter().map(|a| self.term(a)));
                Some(parts)
            }
            ExprKind::Binary { op, lhs, rhs } => Some(vec![
                op_ref(op.builtin_name()),
                self.term(lhs),
                self.term(rhs),
            ]),
            ExprKind::Neg { operand } => Some(vec![
                op_ref("minus"),
                term("number", Value::from_i64(0)),
                self.term(operand),
            ]),
            ExprKind::Membership {
                key,
                value,
                collection,
            } => {
                let call = self.member_call(key.as_deref(), value, collection);
                call.object_get_str("value")
                    .and_then(Value::as_array)
                    .map(<[Value]>::to_vec)
            }
            _ => None,
        }
    }

    /// The function of a call as a ref term.
    fn func_ref(&mut self, func: &Expr) -> Value {
        match self.term(func) {
            t if t.object_get_str("type").and_then(Value::as_str) == Some("var") => {
                term("ref", Value::array(vec![t]))
            }
            t => t,
        }
    }

    fn term(&mut self, e: &Expr) -> Value {
        if let Some(parts) = self.call_parts(e) {
            return term("call", Value::array(parts));
        }
        match &e.kind {
            ExprKind::Null => term("null", Value::Null),
            ExprKind::Bool { value } => term("boolean", Value::Bool(*value)),
            ExprKind::Number { text } => term(
                "number",
                Value::parse_number(text).unwrap_or_else(|| Value::string(text)),
            ),
            ExprKind::String { value, .. } => string(value),
            ExprKind::Template { parts, .. } => {
                let parts = parts
                    .iter()
                    .map(|p| match p {
                        TemplatePart::Text { text } => string(text),
                        TemplatePart::Expr { literal } => self.literal(0, literal),
                    })
                    .collect();
                term("templatestring", Value::array(parts))
            }
            ExprKind::Var { name } if name == "_" => {
                let n = self.wildcards;
                self.wildcards += 1;
                var(&format!("${n}"))
            }
            ExprKind::Var { name } => var(name),
            ExprKind::Ref { head, path } => {
                let mut items = match self.term(head) {
                    t if t.object_get_str("type").and_then(Value::as_str) == Some("ref") => t
                        .object_get_str("value")
                        .and_then(Value::as_array)
                        .map(<[Value]>::to_vec)
                        .unwrap_or_default(),
                    t => vec![t],
                };
                for arg in path {
                    items.push(match arg {
                        RefArg::Dot { name } => string(&name.name),
                        RefArg::Index { expr } => self.term(expr),
                    });
                }
                term("ref", Value::array(items))
            }
            ExprKind::Array { items } => {
                let items = items.iter().map(|i| self.term(i)).collect();
                term("array", Value::array(items))
            }
            ExprKind::Set { items } => {
                let items = items.iter().map(|i| self.term(i)).collect();
                term("set", Value::array(items))
            }
            ExprKind::Object { items } => {
                let items = items
                    .iter()
                    .map(|(k, v)| Value::array(vec![self.term(k), self.term(v)]))
                    .collect();
                term("object", Value::array(items))
            }
            ExprKind::ArrayCompr { head, body } => {
                let value = obj(vec![("term", self.term(head)), ("body", self.query(body))]);
                term("arraycomprehension", value)
            }
            ExprKind::SetCompr { head, body } => {
                let value = obj(vec![("term", self.term(head)), ("body", self.query(body))]);
                term("setcomprehension", value)
            }
            ExprKind::ObjectCompr { key, value, body } => {
                let value = obj(vec![
                    ("key", self.term(key)),
                    ("value", self.term(value)),
                    ("body", self.query(body)),
                ]);
                term("objectcomprehension", value)
            }
            // Handled by `call_parts` above.
            ExprKind::Call { .. }
            | ExprKind::Binary { .. }
            | ExprKind::Neg { .. }
            | ExprKind::Membership { .. } => term("null", Value::Null),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn parse(src: &str) -> Value {
        call(
            "rego.parse_module",
            &[Value::string("x.rego"), Value::string(src)],
        )
        .expect("parses")
    }

    fn json(v: &Value) -> serde_json::Value {
        serde_json::from_str(&v.to_json_string()).expect("json")
    }

    #[test]
    fn package_and_imports() {
        let m = json(&parse(
            "package foo.bar\n\nimport rego.v1\nimport data.a as b\n\np if { a = true }",
        ));
        assert_eq!(
            m["package"]["path"],
            serde_json::json!([
                {"type": "var", "value": "data"},
                {"type": "string", "value": "foo"},
                {"type": "string", "value": "bar"}
            ])
        );
        assert_eq!(m["imports"][1]["alias"], "b");
        assert_eq!(
            m["imports"][1]["path"],
            serde_json::json!({"type": "ref", "value": [
                {"type": "var", "value": "data"}, {"type": "string", "value": "a"}]})
        );
        let rule = &m["rules"][0];
        assert_eq!(rule["head"]["name"], "p");
        assert_eq!(
            rule["head"]["value"],
            serde_json::json!({"type": "boolean", "value": true})
        );
        assert_eq!(
            rule["body"],
            serde_json::json!([{"index": 0, "terms": [
                {"type": "ref", "value": [{"type": "var", "value": "eq"}]},
                {"type": "var", "value": "a"},
                {"type": "boolean", "value": true}
            ]}])
        );
    }

    #[test]
    fn heads_and_operators() {
        let m = json(&parse(
            "package p\n\nf(x) := y if { y := x + 1; not x == 2 }\ns contains v if { some v in [1] }\ndefault d := 0\n",
        ));
        let f = &m["rules"][0];
        assert_eq!(f["head"]["assign"], true);
        assert_eq!(f["head"]["args"][0]["value"], "x");
        assert_eq!(f["body"][0]["terms"][0]["value"][0]["value"], "assign");
        assert_eq!(f["body"][0]["terms"][2]["type"], "call");
        assert_eq!(
            f["body"][0]["terms"][2]["value"][0]["value"][0]["value"],
            "plus"
        );
        assert_eq!(f["body"][1]["negated"], true);
        assert_eq!(f["body"][1]["terms"][0]["value"][0]["value"], "equal");
        let s = &m["rules"][1];
        assert_eq!(s["head"]["key"]["value"], "v");
        assert!(s["head"].get("value").is_none());
        assert_eq!(
            s["body"][0]["terms"]["symbols"][0]["value"][0]["value"][1]["value"],
            "member_2"
        );
        let d = &m["rules"][2];
        assert_eq!(d["default"], true);
        assert_eq!(d["body"][0]["terms"]["value"], true);
    }

    #[test]
    fn ref_heads_and_calls() {
        let m = json(&parse(
            "package p\n\na.b[c] := 1 if { c := \"k\"; x := count([_]) }\n",
        ));
        let r = &m["rules"][0];
        assert!(r["head"].get("name").is_none());
        assert_eq!(r["head"]["ref"][0]["value"], "a");
        assert_eq!(r["head"]["ref"][2]["value"], "c");
        let call = &r["body"][1]["terms"][2];
        assert_eq!(call["type"], "call");
        assert_eq!(call["value"][1]["value"][0]["value"], "$0");
    }

    #[test]
    fn parse_error_text() {
        // OPA says `unexpected eof token: expected ident`; the `: expected ident` part needs
        // rego-syntax to name the expected token.
        let err = call(
            "rego.parse_module",
            &[Value::string("x.rego"), Value::string("package foo.")],
        )
        .unwrap_err();
        assert_eq!(err.code(), "eval_builtin_error");
        assert!(
            err.message()
                .contains("rego_parse_error: unexpected eof token"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn operand_types() {
        let err = call(
            "rego.parse_module",
            &[Value::from_i64(1), Value::string("package p")],
        )
        .unwrap_err();
        assert_eq!(err.message(), "operand 1 must be string but got number");
    }
}
