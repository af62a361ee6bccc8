//! Builtins of the `sets` family: `intersection` and `union` of a set of sets, and the named
//! forms of the set operators `&` (`and`) and `|` (`or`).

use rego_eval::{BuiltinContext, BuiltinDef, BuiltinError, Set, SetBuilder, Value};

/// This family's builtins.
pub(crate) const BUILTINS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "intersection",
        arity: 1,
        func: intersection,
    },
    BuiltinDef {
        name: "union",
        arity: 1,
        func: union,
    },
    BuiltinDef {
        name: "and",
        arity: 2,
        func: and,
    },
    BuiltinDef {
        name: "or",
        arity: 2,
        func: or,
    },
];

/// Argument `i` as a set, keeping the shared [`Set`].
fn set_arg(args: &[Value], i: usize) -> Result<&Set, BuiltinError> {
    match &args[i] {
        Value::Set(s) => Ok(s),
        v => Err(BuiltinError::operand(i + 1, "set", v)),
    }
}

/// An element of the set-of-sets operand as a set (OPA reports it as operand 1).
fn member_set(v: &Value) -> Result<&Set, BuiltinError> {
    match v {
        Value::Set(s) => Ok(s),
        _ => Err(BuiltinError::operand(1, "set", v)),
    }
}

/// `intersection(sets)`: the elements common to every set; the empty set for no sets.
fn intersection(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let sets = set_arg(args, 0)?;
    let mut result: Option<Set> = None;
    for item in sets.iter() {
        let s = member_set(item)?;
        result = Some(match result {
            None => s.clone(),
            Some(acc) => acc.intersection(s),
        });
    }
    Ok(Value::Set(result.unwrap_or_default()))
}

/// `union(sets)`: the elements of any of the sets.
fn union(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let sets = set_arg(args, 0)?;
    let mut out = SetBuilder::new();
    for item in sets.iter() {
        out.extend(member_set(item)?.iter().cloned());
    }
    Ok(out.finish_value())
}

/// `and(a, b)`: `a & b`.
fn and(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = set_arg(args, 0)?;
    let b = set_arg(args, 1)?;
    Ok(Value::Set(a.intersection(b)))
}

/// `or(a, b)`: `a | b`.
fn or(_: &BuiltinContext<'_>, args: &[Value]) -> Result<Value, BuiltinError> {
    let a = set_arg(args, 0)?;
    let b = set_arg(args, 1)?;
    Ok(Value::Set(a.union(b)))
}

#[cfg(test)]
mod tests {
    use crate::call;
    use rego_eval::Value;

    fn s(items: &[i64]) -> Value {
        Value::set_from(items.iter().map(|&i| Value::from(i)).collect())
    }

    fn sets(items: Vec<Value>) -> Value {
        Value::set_from(items)
    }

    fn ok(name: &str, args: &[Value]) -> String {
        call(name, args).unwrap().to_string()
    }

    #[test]
    fn unions() {
        assert_eq!(ok("union", &[Value::empty_set()]), "set()");
        assert_eq!(ok("union", &[sets(vec![s(&[]), s(&[1, 2])])]), "{1, 2}");
        assert_eq!(
            ok("union", &[sets(vec![s(&[1, 2, 3]), s(&[2])])]),
            "{1, 2, 3}"
        );
        assert_eq!(
            ok(
                "union",
                &[sets(vec![s(&[1, 2, 3]), s(&[2, 3, 4]), s(&[4, 5, 6])])]
            ),
            "{1, 2, 3, 4, 5, 6}"
        );
    }

    #[test]
    fn intersections() {
        assert_eq!(ok("intersection", &[Value::empty_set()]), "set()");
        assert_eq!(
            ok("intersection", &[sets(vec![s(&[]), s(&[1, 2])])]),
            "set()"
        );
        assert_eq!(
            ok("intersection", &[sets(vec![s(&[1, 2, 3]), s(&[2])])]),
            "{2}"
        );
        assert_eq!(
            ok(
                "intersection",
                &[sets(vec![s(&[1, 2, 3]), s(&[2, 3, 4]), s(&[4, 5, 6])])]
            ),
            "set()"
        );
        assert_eq!(
            ok(
                "intersection",
                &[sets(vec![
                    s(&[1, 2, 3, 4]),
                    s(&[2, 3, 4]),
                    s(&[3, 4]),
                    s(&[4])
                ])]
            ),
            "{4}"
        );
    }

    #[test]
    fn errors() {
        for f in ["union", "intersection"] {
            let e = call(f, &[Value::empty_array()]).unwrap_err();
            assert_eq!(e.message(), "operand 1 must be set but got array");
            assert_eq!(e.code(), "eval_type_error");
            let e = call(f, &[sets(vec![s(&[1]), Value::from(1)])]).unwrap_err();
            assert_eq!(e.message(), "operand 1 must be set but got number");
        }
        let e = call("and", &[s(&[1]), Value::from(1)]).unwrap_err();
        assert_eq!(e.message(), "operand 2 must be set but got number");
        let e = call("or", &[Value::Null, s(&[1])]).unwrap_err();
        assert_eq!(e.message(), "operand 1 must be set but got null");
    }

    #[test]
    fn operators_by_name() {
        assert_eq!(ok("and", &[s(&[1, 2, 3]), s(&[2, 3, 4])]), "{2, 3}");
        assert_eq!(ok("or", &[s(&[1, 2]), s(&[2, 3, 4])]), "{1, 2, 3, 4}");
        assert_eq!(ok("and", &[s(&[1]), s(&[2])]), "set()");
    }
}
