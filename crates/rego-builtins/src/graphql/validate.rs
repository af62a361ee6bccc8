//! Query validation against a schema: a walk over the document in gqlparser's order that
//! reports each node, after its children, to the validation rules (in `rules.rs`, applied in
//! gqlparser's rule order), so the errors come out in the order OPA reports them.

use std::collections::HashSet;

use super::ast::*;
use super::overlap::Overlap;
use super::schema::{GqlError, Schema, type_of};

/// What the walk knows about a value: the type it must have, that type's definition, and
/// whether its argument has a default.
#[derive(Clone, Copy)]
pub(crate) struct ValueCtx<'a> {
    pub(crate) expected: Option<&'a Type>,
    pub(crate) def: Option<&'a Definition>,
    pub(crate) has_default: bool,
}

/// The walk's state, shared with the rules.
pub(crate) struct Walker<'a> {
    pub(crate) schema: &'a Schema,
    pub(crate) doc: &'a QueryDocument,
    pub(crate) typename: &'a FieldDefinition,
    pub(crate) errors: Vec<GqlError>,
    pub(crate) current_op: Option<&'a OperationDefinition>,
    /// Indices of the current operation's variables used so far.
    pub(crate) used_vars: HashSet<usize>,
    validated_spreads: HashSet<&'a str>,
    pub(crate) rules: RuleState,
    pub(crate) overlap: Overlap<'a>,
}

/// State the rules keep across the walk.
#[derive(Default)]
pub(crate) struct RuleState {
    pub(crate) misplaced_directives: HashSet<(String, u32, i64)>,
    pub(crate) cycle_visited: HashSet<String>,
    pub(crate) in_fragment_definition: bool,
    pub(crate) fragments_used: HashSet<String>,
    pub(crate) fragment_names: HashSet<String>,
    pub(crate) operation_names: HashSet<String>,
}

/// Validates a query against a schema; no errors means valid.
pub(crate) fn validate(schema: &Schema, doc: &QueryDocument) -> Vec<GqlError> {
    let typename = FieldDefinition {
        name: "__typename".to_string(),
        ty: Some(Type::named("String", false)),
        ..FieldDefinition::default()
    };
    let mut w = Walker {
        schema,
        doc,
        typename: &typename,
        errors: Vec::new(),
        current_op: None,
        used_vars: HashSet::new(),
        validated_spreads: HashSet::new(),
        rules: RuleState::default(),
        overlap: Overlap::default(),
    };
    for op in &doc.operations {
        w.validated_spreads.clear();
        w.walk_operation(op);
    }
    for frag in &doc.fragments {
        w.validated_spreads.clear();
        w.walk_fragment(frag);
    }
    w.errors
}

impl<'a> Walker<'a> {
    /// Records an error.
    pub(crate) fn error(&mut self, message: String, pos: Option<Pos>) {
        self.errors.push(GqlError::new(message, pos));
    }

    /// A type definition by name.
    pub(crate) fn ty(&self, name: &str) -> Option<&'a Definition> {
        self.schema.get(name)
    }

    /// The definition a field selects on `parent` (`__typename` anywhere).
    pub(crate) fn field_def(
        &self,
        parent: Option<&'a Definition>,
        name: &str,
    ) -> Option<&'a FieldDefinition> {
        if name == "__typename" {
            return Some(self.typename);
        }
        parent.and_then(|p| p.field(name))
    }

    /// The fragment definition a spread names.
    pub(crate) fn fragment(&self, name: &str) -> Option<&'a FragmentDefinition> {
        self.doc.fragments.iter().find(|f| f.name == name)
    }

    fn walk_operation(&mut self, op: &'a OperationDefinition) {
        self.current_op = Some(op);
        self.used_vars.clear();
        let (root, location) = match op.operation.as_str() {
            "query" | "" => (self.schema.root("query"), "QUERY"),
            "mutation" => (self.schema.root("mutation"), "MUTATION"),
            "subscription" => (self.schema.root("subscription"), "SUBSCRIPTION"),
            _ => (None, ""),
        };
        for var in &op.variable_definitions {
            let ty = type_of(&var.ty);
            let def = self.ty(ty.name());
            if let Some(default) = &var.default_value {
                let ctx = ValueCtx {
                    expected: Some(ty),
                    def,
                    has_default: default.expected_type_has_default,
                };
                self.walk_value(default, ctx);
            }
            self.walk_directives(&var.directives, "VARIABLE_DEFINITION");
        }
        self.walk_directives(&op.directives, location);
        self.walk_selections(root, &op.selection_set);
        self.on_operation(op, root);
        self.current_op = None;
    }

    fn walk_fragment(&mut self, frag: &'a FragmentDefinition) {
        let def = self.ty(&frag.type_condition);
        self.walk_directives(&frag.directives, "FRAGMENT_DEFINITION");
        self.walk_selections(def, &frag.selection_set);
        self.on_fragment(frag, def);
    }

    fn walk_directives(&mut self, dirs: &'a [Directive], location: &str) {
        for dir in dirs {
            let def = self.schema.directives.get(&dir.name);
            for arg in &dir.arguments {
                let arg_def = def.and_then(|d| d.arguments.iter().find(|a| a.name == arg.name));
                self.walk_argument(arg_def, arg);
            }
            self.on_directive(dir, def, location);
        }
        self.on_directive_list(dirs);
    }

    fn walk_argument(&mut self, def: Option<&'a ArgumentDefinition>, arg: &'a Argument) {
        let Some(value) = arg.value.as_deref() else {
            return;
        };
        let ctx = match def {
            Some(def) => {
                let ty = type_of(&def.ty);
                ValueCtx {
                    expected: Some(ty),
                    def: self.ty(ty.name()),
                    has_default: def
                        .default_value
                        .as_ref()
                        .is_some_and(|d| d.kind != kind::NULL),
                }
            }
            None => ValueCtx {
                expected: None,
                def: None,
                has_default: value.expected_type_has_default,
            },
        };
        self.walk_value(value, ctx);
    }

    /// The current operation's definition of a variable (the first of that name).
    pub(crate) fn variable(&self, name: &str) -> Option<(usize, &'a VariableDefinition)> {
        self.current_op?
            .variable_definitions
            .iter()
            .enumerate()
            .find(|(_, v)| v.variable == name)
    }

    fn walk_value(&mut self, value: &'a GValue, ctx: ValueCtx<'a>) {
        let mut var_def = None;
        if value.kind == kind::VARIABLE {
            if let Some((index, def)) = self.variable(&value.raw) {
                self.used_vars.insert(index);
                var_def = Some(def);
            }
        }
        if value.kind == kind::OBJECT {
            for child in &value.children {
                let Some(child_value) = child.value.as_deref() else {
                    continue;
                };
                let field = ctx.def.and_then(|d| d.field(&child.name));
                let child_ctx = match field {
                    Some(f) => {
                        let ty = type_of(&f.ty);
                        ValueCtx {
                            expected: Some(ty),
                            def: self.ty(ty.name()),
                            has_default: child_value.expected_type_has_default,
                        }
                    }
                    None => ValueCtx {
                        expected: None,
                        def: None,
                        has_default: child_value.expected_type_has_default,
                    },
                };
                self.walk_value(child_value, child_ctx);
            }
        }
        if value.kind == kind::LIST {
            for child in &value.children {
                let Some(child_value) = child.value.as_deref() else {
                    continue;
                };
                let elem = ctx.expected.and_then(|t| t.elem.as_deref());
                let child_ctx = ValueCtx {
                    expected: elem,
                    def: if elem.is_some() { ctx.def } else { None },
                    has_default: child_value.expected_type_has_default,
                };
                self.walk_value(child_value, child_ctx);
            }
        }
        self.on_value(value, ctx, var_def);
    }

    fn walk_selections(&mut self, parent: Option<&'a Definition>, set: &'a [Selection]) {
        for sel in set {
            match sel {
                Selection::Field(f) => {
                    let def = self.field_def(parent, &f.name);
                    let next = def.and_then(|d| self.ty(type_of(&d.ty).name()));
                    for arg in &f.arguments {
                        let arg_def =
                            def.and_then(|d| d.arguments.iter().find(|a| a.name == arg.name));
                        self.walk_argument(arg_def, arg);
                    }
                    self.walk_directives(&f.directives, "FIELD");
                    self.walk_selections(next, &f.selection_set);
                    self.on_field(f, def, parent);
                }
                Selection::InlineFragment(i) => {
                    let next = if i.type_condition.is_empty() {
                        parent
                    } else {
                        self.ty(&i.type_condition)
                    };
                    self.walk_directives(&i.directives, "INLINE_FRAGMENT");
                    self.walk_selections(next, &i.selection_set);
                    self.on_inline_fragment(i, parent);
                }
                Selection::FragmentSpread(s) => {
                    let frag = self.fragment(&s.name);
                    let next = frag.and_then(|f| self.ty(&f.type_condition));
                    self.walk_directives(&s.directives, "FRAGMENT_SPREAD");
                    if let Some(frag) = frag {
                        if self.validated_spreads.insert(frag.name.as_str()) {
                            self.walk_selections(next, &frag.selection_set);
                        }
                    }
                    self.on_fragment_spread(s, frag, parent);
                }
            }
        }
    }
}

/// gqlparser's list wording: `a, b, or c` (at most five items).
fn or_list(items: &[String]) -> String {
    let items = &items[..items.len().min(5)];
    if items.len() == 2 {
        return format!("{} or {}", items[0], items[1]);
    }
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i == items.len() - 1 { ", or " } else { ", " });
        }
        out.push_str(item);
    }
    out
}

/// `a or b` with each item in double quotes.
pub(crate) fn quoted_or_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    or_list(&quoted)
}

fn lexical_distance(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let (la, lb) = (a.to_lowercase(), b.to_lowercase());
    if la == lb {
        return 1;
    }
    strsim::levenshtein(&la, &lb)
}

/// The options close enough to `input` to suggest, closest first.
pub(crate) fn suggestion_list(input: &str, options: &[&str]) -> Vec<String> {
    let input_threshold = input.len() / 2;
    let mut found: Vec<(usize, &str)> = options
        .iter()
        .filter_map(|o| {
            let d = lexical_distance(input, o);
            let threshold = input_threshold.max(o.len() / 2).max(1);
            (d <= threshold).then_some((d, *o))
        })
        .collect();
    found.sort_by_key(|(d, _)| *d);
    found.into_iter().map(|(_, o)| o.to_string()).collect()
}

/// Appends ` PREFIX "a", "b"?` when some options are close to `typed`.
pub(crate) fn suggest(
    message: &mut String,
    prefix: &str,
    typed: &str,
    options: &[&str],
    quoted: bool,
) {
    let list = suggestion_list(typed, options);
    if !list.is_empty() {
        let items = if quoted {
            quoted_or_list(&list)
        } else {
            or_list(&list)
        };
        message.push_str(&format!(" {prefix} {items}?"));
    }
}
