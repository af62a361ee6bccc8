//! Several documents evaluated together on one input, sharing one evaluation's memo: the
//! way `rego validate` asks for `deny`, `warn` and `violation` without computing the helper
//! rules they share once per rule.

use super::{Policy, evaluation_env};
use crate::compile::QueryLowering;
use crate::error::{CompileErrors, EvalError};
use crate::eval::{Evaluator, Flow};
use crate::value::Value;
use rego_syntax::SourceMap;
use std::sync::Arc;

/// References such as `data.main.deny`, compiled once against a policy and evaluated
/// together, many times, from any thread.
#[derive(Clone)]
pub struct PreparedDocuments {
    policy: Policy,
    queries: Arc<Vec<QueryLowering>>,
    sources: Arc<SourceMap>,
    slots: u32,
}

impl Policy {
    /// Compiles references to documents (`data.a.b`, `input.x`) for [`PreparedDocuments::eval`].
    pub fn prepare_documents<S: AsRef<str>>(
        &self,
        refs: &[S],
    ) -> Result<PreparedDocuments, CompileErrors> {
        let mut sources = self.inner.sources.clone();
        let mut queries = Vec::with_capacity(refs.len());
        for (i, reference) in refs.iter().enumerate() {
            let (_, lowered) = self.lower(
                &mut sources,
                &format!("document-{i}.rego"),
                reference.as_ref(),
            )?;
            queries.push(lowered);
        }
        let slots = queries.iter().map(|q| q.slots).max().unwrap_or(0);
        Ok(PreparedDocuments {
            policy: self.clone(),
            queries: Arc::new(queries),
            sources: Arc::new(sources),
            slots,
        })
    }
}

impl PreparedDocuments {
    /// The value of each document on `input`, in the order given to
    /// [`Policy::prepare_documents`]; `Ok(None)` where a document is undefined. An error in
    /// one document does not stop the others, which are evaluated afresh after it.
    pub fn eval(
        &self,
        input: Option<&Value>,
        options: &super::EvalOptions,
    ) -> Vec<Result<Option<Value>, EvalError>> {
        let inner = &self.policy.inner;
        let fresh = || {
            let env = evaluation_env(inner, &self.sources, options);
            Evaluator::new(env, inner.data.clone(), input.cloned(), self.slots)
        };
        let mut ev = fresh();
        let mut values = Vec::with_capacity(self.queries.len());
        for query in self.queries.iter() {
            ev.frame.iter_mut().for_each(|slot| *slot = None);
            let capture = query.captures.first().copied().flatten();
            let mut found = None;
            let outcome = ev.eval_body(&query.body, 0, &mut |ev| {
                found = Some(
                    capture
                        .and_then(|s| ev.slot(s).cloned())
                        .unwrap_or(Value::Bool(true)),
                );
                Ok(Flow::Halt)
            });
            match outcome {
                Ok(_) => values.push(Ok(found)),
                Err(e) => {
                    // The evaluation stopped midway; its state is not to be trusted.
                    ev = fresh();
                    values.push(Err(e));
                }
            }
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, EvalOptions, Value};

    fn policy() -> crate::Policy {
        let mut engine = Engine::new();
        engine
            .add_module(
                "p.rego",
                "package main\n\
                 kind := input.kind\n\
                 deny contains \"no name\" if not input.name\n\
                 deny contains \"pod\" if kind == \"Pod\"\n\
                 warn contains \"old\" if input.old\n\
                 undefined_rule if false\n",
            )
            .unwrap();
        engine.compile().unwrap()
    }

    #[test]
    fn evaluates_each_document_in_order() {
        let docs = policy()
            .prepare_documents(&[
                "data.main.deny",
                "data.main.undefined_rule",
                "data.main.warn",
            ])
            .unwrap();
        let input = Value::from_json_str(r#"{"kind": "Pod", "old": true}"#).unwrap();
        let values: Vec<_> = docs
            .eval(Some(&input), &EvalOptions::default())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            values,
            vec![
                Some(Value::set_from(vec!["no name".into(), "pod".into()])),
                None,
                Some(Value::set_from(vec!["old".into()])),
            ]
        );
    }

    #[test]
    fn each_input_starts_afresh() {
        let docs = policy().prepare_documents(&["data.main.kind"]).unwrap();
        for kind in ["Pod", "Service"] {
            let input = Value::from_json_str(&format!(r#"{{"kind": "{kind}"}}"#)).unwrap();
            let values = docs.eval(Some(&input), &EvalOptions::default());
            assert_eq!(values, vec![Ok(Some(Value::from(kind)))]);
        }
    }

    #[test]
    fn an_error_in_one_document_leaves_the_others() {
        let mut engine = Engine::new();
        engine
            .add_module(
                "p.rego",
                "package main\nc := input.a\nc := input.b\nbroken if c\nfine := input.a\n",
            )
            .unwrap();
        let docs = engine
            .compile()
            .unwrap()
            .prepare_documents(&["data.main.broken", "data.main.fine"])
            .unwrap();
        let input = Value::from_json_str(r#"{"a": 1, "b": 2}"#).unwrap();
        let values = docs.eval(Some(&input), &EvalOptions::default());
        assert!(values[0].is_err());
        assert_eq!(values[1], Ok(Some(Value::from(1))));
    }

    #[test]
    fn a_bad_reference_is_a_compile_error() {
        assert!(policy().prepare_documents(&["data.main.deny["]).is_err());
    }
}
