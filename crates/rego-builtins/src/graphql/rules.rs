//! The query validation rules, as gqlparser applies them; each `on_*` hook runs, in rule
//! order, the rules that look at that kind of node.

use std::collections::HashSet;

use super::ast::*;
use super::lexer::go_quote;
use super::schema::type_of;
use super::validate::{ValueCtx, Walker, quoted_or_list, suggest};

const BUILTIN_SCALARS: &[&str] = &["Int", "Float", "String", "Boolean", "ID"];

impl<'a> Walker<'a> {
    pub(super) fn on_operation(
        &mut self,
        op: &'a OperationDefinition,
        root: Option<&'a Definition>,
    ) {
        // KnownRootType
        if root.is_none() {
            self.error(
                format!(
                    "Schema does not support operation type \"{}\"",
                    op.operation
                ),
                op.pos,
            );
        }
        // KnownTypeNames
        for var in &op.variable_definitions {
            let name = type_of(&var.ty).name();
            if self.ty(name).is_none() {
                self.error(format!("Unknown type \"{name}\"."), op.pos);
            }
        }
        // LoneAnonymousOperation
        if op.name.is_empty() && self.doc.operations.len() > 1 {
            self.error(
                "This anonymous operation must be the only defined operation.".to_string(),
                op.pos,
            );
        }
        // NoUnusedVariables
        for (i, var) in op.variable_definitions.iter().enumerate() {
            if var.used || self.used_vars.contains(&i) {
                continue;
            }
            let message = if op.name.is_empty() {
                format!("Variable \"${}\" is never used.", var.variable)
            } else {
                format!(
                    "Variable \"${}\" is never used in operation \"{}\".",
                    var.variable, op.name
                )
            };
            self.error(message, var.pos);
        }
        // OverlappingFieldsCanBeMerged
        self.check_overlaps(&op.selection_set, root);
        // SingleFieldSubscriptions
        if op.operation == "subscription" && op.selection_set.len() != 1 {
            let name = if op.name.is_empty() {
                "Anonymous Subscription".to_string()
            } else {
                format!("Subscription {}", go_quote(&op.name))
            };
            self.error(
                format!("{name} must select only one top level field."),
                op.pos,
            );
        }
        // UniqueOperationNames
        if !self.rules.operation_names.insert(op.name.clone()) {
            self.error(
                format!("There can be only one operation named \"{}\".", op.name),
                op.pos,
            );
        }
        // UniqueVariableNames
        let mut seen = HashSet::new();
        for var in &op.variable_definitions {
            if !seen.insert(var.variable.as_str()) {
                self.error(
                    format!(
                        "There can be only one variable named \"${}\".",
                        var.variable
                    ),
                    var.pos,
                );
            }
        }
        // VariablesAreInputTypes
        for var in &op.variable_definitions {
            let ty = type_of(&var.ty);
            if let Some(def) = self.ty(ty.name()) {
                if !def.is_input() {
                    self.error(
                        format!(
                            "Variable \"${}\" cannot be non-input type \"{ty}\".",
                            var.variable
                        ),
                        var.pos,
                    );
                }
            }
        }
    }

    pub(super) fn on_field(
        &mut self,
        field: &'a Field,
        def: Option<&'a FieldDefinition>,
        parent: Option<&'a Definition>,
    ) {
        // FieldsOnCorrectType
        if let (Some(parent), None) = (parent, def) {
            let mut message = format!(
                "Cannot query field \"{}\" on type \"{}\".",
                field.name, parent.name
            );
            let types = self.suggested_types(parent, &field.name);
            if !types.is_empty() {
                message.push_str(&format!(
                    " Did you mean to use an inline fragment on {}?",
                    quoted_or_list(&types)
                ));
            } else if matches!(parent.kind.as_str(), "OBJECT" | "INTERFACE") {
                let names: Vec<&str> = parent.fields.iter().map(|f| f.name.as_str()).collect();
                suggest(&mut message, "Did you mean", &field.name, &names, true);
            }
            self.error(message, field.pos);
        }
        // KnownArgumentNames
        if let (Some(def), Some(parent)) = (def, parent) {
            for arg in &field.arguments {
                if def.arguments.iter().any(|a| a.name == arg.name) {
                    continue;
                }
                let mut message = format!(
                    "Unknown argument \"{}\" on field \"{}.{}\".",
                    arg.name, parent.name, field.name
                );
                let names: Vec<&str> = def.arguments.iter().map(|a| a.name.as_str()).collect();
                suggest(&mut message, "Did you mean", &arg.name, &names, true);
                self.error(message, arg.pos);
            }
        }
        // OverlappingFieldsCanBeMerged
        if self.current_op.is_some() {
            let next = def.and_then(|d| self.ty(type_of(&d.ty).name()));
            self.check_overlaps(&field.selection_set, next);
        }
        if let Some(def) = def {
            // ProvidedRequiredArguments
            for arg_def in &def.arguments {
                let ty = type_of(&arg_def.ty);
                if !ty.non_null || arg_def.default_value.is_some() {
                    continue;
                }
                if !field.arguments.iter().any(|a| a.name == arg_def.name) {
                    self.error(
                        format!(
                            "Field \"{}\" argument \"{}\" of type \"{ty}\" is required, but it was not provided.",
                            field.name, arg_def.name
                        ),
                        field.pos,
                    );
                }
            }
            // ScalarLeafs
            let ty = type_of(&def.ty);
            if let Some(field_type) = self.ty(ty.name()) {
                if field_type.is_leaf() && !field.selection_set.is_empty() {
                    self.error(
                        format!(
                            "Field \"{}\" must not have a selection since type \"{}\" has no subfields.",
                            field.name, field_type.name
                        ),
                        field.pos,
                    );
                }
                if !field_type.is_leaf() && field.selection_set.is_empty() {
                    self.error(
                        format!(
                            "Field \"{}\" of type \"{ty}\" must have a selection of subfields. Did you mean \"{} {{ ... }}\"?",
                            field.name, field.name
                        ),
                        field.pos,
                    );
                }
            }
        }
        // UniqueArgumentNames
        self.unique_arguments(&field.arguments);
    }

    /// Types implementing or in `parent` that have the field, interfaces first.
    fn suggested_types(&self, parent: &Definition, name: &str) -> Vec<String> {
        if !parent.is_abstract() {
            return Vec::new();
        }
        let mut objects = Vec::new();
        let mut interfaces: Vec<String> = Vec::new();
        let mut usage: std::collections::HashMap<String, usize> = Default::default();
        for possible in self.schema.possible_types(parent) {
            if possible.field(name).is_none() {
                continue;
            }
            objects.push(possible.name.clone());
            for intf in &possible.interfaces {
                if self.ty(intf).is_some_and(|i| i.field(name).is_some()) {
                    let count = usage.entry(intf.clone()).or_default();
                    if *count == 0 {
                        interfaces.push(intf.clone());
                    }
                    *count += 1;
                }
            }
        }
        interfaces.extend(objects);
        interfaces.sort_by(|a, b| {
            let (ua, ub) = (usage.get(a).unwrap_or(&0), usage.get(b).unwrap_or(&0));
            ub.cmp(ua).then_with(|| a.cmp(b))
        });
        interfaces
    }

    fn unique_arguments(&mut self, args: &'a [Argument]) {
        let mut seen = HashSet::new();
        for arg in args {
            if !seen.insert(arg.name.as_str()) {
                self.error(
                    format!("There can be only one argument named \"{}\".", arg.name),
                    arg.pos,
                );
            }
        }
    }

    pub(super) fn on_fragment(
        &mut self,
        frag: &'a FragmentDefinition,
        def: Option<&'a Definition>,
    ) {
        // FragmentsOnCompositeTypes
        if let Some(def) = def {
            if !frag.type_condition.is_empty() && !def.is_composite() {
                self.error(
                    format!(
                        "Fragment \"{}\" cannot condition on non composite type \"{}\".",
                        frag.name, frag.type_condition
                    ),
                    frag.pos,
                );
            }
        }
        // KnownTypeNames
        if def.is_none() {
            let mut message = format!("Unknown type \"{}\".", frag.type_condition);
            let mut names: Vec<&str> = self.schema.types.keys().map(String::as_str).collect();
            names.sort_unstable();
            suggest(
                &mut message,
                "Did you mean",
                &frag.type_condition,
                &names,
                true,
            );
            self.error(message, frag.pos);
        }
        // NoFragmentCycles
        let mut path = Vec::new();
        let mut index = std::collections::HashMap::new();
        self.detect_cycles(frag, &mut path, &mut index);
        // NoUnusedFragments
        self.rules.in_fragment_definition = true;
        if !self.rules.fragments_used.contains(&frag.name) {
            self.error(
                format!("Fragment \"{}\" is never used.", frag.name),
                frag.pos,
            );
        }
        // OverlappingFieldsCanBeMerged
        self.check_overlaps(&frag.selection_set, def);
        // UniqueFragmentNames
        if !self.rules.fragment_names.insert(frag.name.clone()) {
            self.error(
                format!("There can be only one fragment named \"{}\".", frag.name),
                frag.pos,
            );
        }
    }

    fn detect_cycles(
        &mut self,
        frag: &'a FragmentDefinition,
        path: &mut Vec<&'a FragmentSpread>,
        index: &mut std::collections::HashMap<String, usize>,
    ) {
        if !self.rules.cycle_visited.insert(frag.name.clone()) {
            return;
        }
        let spreads = fragment_spreads(&frag.selection_set);
        if spreads.is_empty() {
            return;
        }
        index.insert(frag.name.clone(), path.len());
        for spread in spreads {
            let cycle_start = index.get(&spread.name).copied();
            path.push(spread);
            match cycle_start {
                None => {
                    if let Some(next) = self.fragment(&spread.name) {
                        self.detect_cycles(next, path, index);
                    }
                }
                Some(start) => {
                    let via: Vec<&str> = path[start..path.len() - 1]
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect();
                    let via = if via.is_empty() {
                        String::new()
                    } else {
                        format!(" via {}", via.join(", "))
                    };
                    self.error(
                        format!(
                            "Cannot spread fragment \"{}\" within itself{via}.",
                            spread.name
                        ),
                        spread.pos,
                    );
                }
            }
            path.pop();
        }
        index.remove(&frag.name);
    }

    pub(super) fn on_inline_fragment(
        &mut self,
        frag: &'a InlineFragment,
        parent: Option<&'a Definition>,
    ) {
        let cond = self.ty(&frag.type_condition);
        // FragmentsOnCompositeTypes
        if let Some(t) = cond {
            if !t.is_composite() {
                self.error(
                    format!(
                        "Fragment cannot condition on non composite type \"{}\".",
                        frag.type_condition
                    ),
                    frag.pos,
                );
            }
        }
        // KnownTypeNames
        if !frag.type_condition.is_empty() && cond.is_none() {
            self.error(
                format!("Unknown type \"{}\".", frag.type_condition),
                frag.pos,
            );
        }
        // OverlappingFieldsCanBeMerged
        let next = if frag.type_condition.is_empty() {
            parent
        } else {
            cond
        };
        self.check_overlaps(&frag.selection_set, next);
        // PossibleFragmentSpreads
        if let Some(parent) = parent {
            if !self.can_spread(parent, &frag.type_condition) {
                self.error(
                    format!(
                        "Fragment cannot be spread here as objects of type \"{}\" can never be of type \"{}\".",
                        parent.name, frag.type_condition
                    ),
                    frag.pos,
                );
            }
        }
    }

    /// Whether a fragment on `type_name` may be spread where `parent` is expected.
    fn can_spread(&self, parent: &'a Definition, type_name: &str) -> bool {
        let parents: Vec<&Definition> = match parent.kind.as_str() {
            "OBJECT" => vec![parent],
            "INTERFACE" | "UNION" => self.schema.possible_types(parent),
            _ => return true,
        };
        let Some(frag_type) = self.ty(type_name) else {
            return true;
        };
        if !frag_type.is_composite() {
            return true;
        }
        self.schema
            .possible_types(frag_type)
            .iter()
            .any(|f| parents.iter().any(|p| p.name == f.name))
    }

    pub(super) fn on_fragment_spread(
        &mut self,
        spread: &'a FragmentSpread,
        frag: Option<&'a FragmentDefinition>,
        parent: Option<&'a Definition>,
    ) {
        // KnownFragmentNames
        if frag.is_none() {
            self.error(format!("Unknown fragment \"{}\".", spread.name), spread.pos);
        }
        // NoUnusedFragments
        if !self.rules.in_fragment_definition {
            self.rules.fragments_used.insert(spread.name.clone());
        }
        // PossibleFragmentSpreads
        if let (Some(frag), Some(parent)) = (frag, parent) {
            if !self.can_spread(parent, &frag.type_condition) {
                self.error(
                    format!(
                        "Fragment \"{}\" cannot be spread here as objects of type \"{}\" can never be of type \"{}\".",
                        spread.name, parent.name, frag.type_condition
                    ),
                    spread.pos,
                );
            }
        }
    }

    pub(super) fn on_directive(
        &mut self,
        dir: &'a Directive,
        def: Option<&'a DirectiveDefinition>,
        location: &str,
    ) {
        if let Some(def) = def {
            // KnownArgumentNames
            for arg in &dir.arguments {
                if def.arguments.iter().any(|a| a.name == arg.name) {
                    continue;
                }
                let mut message = format!(
                    "Unknown argument \"{}\" on directive \"@{}\".",
                    arg.name, dir.name
                );
                let names: Vec<&str> = def.arguments.iter().map(|a| a.name.as_str()).collect();
                suggest(&mut message, "Did you mean", &arg.name, &names, true);
                self.error(message, arg.pos);
            }
        }
        // KnownDirectives
        match def {
            None => self.error(format!("Unknown directive \"@{}\".", dir.name), dir.pos),
            Some(def) if !def.locations.iter().any(|l| l == location) => {
                let (line, column) = dir.pos.map_or((0, 0), |p| (p.line, p.column));
                if self
                    .rules
                    .misplaced_directives
                    .insert((dir.name.clone(), line, column))
                {
                    self.error(
                        format!("Directive \"@{}\" may not be used on {location}.", dir.name),
                        dir.pos,
                    );
                }
            }
            Some(_) => {}
        }
        if let Some(def) = def {
            // ProvidedRequiredArguments
            for arg_def in &def.arguments {
                let ty = type_of(&arg_def.ty);
                if ty.non_null
                    && arg_def.default_value.is_none()
                    && !dir.arguments.iter().any(|a| a.name == arg_def.name)
                {
                    self.error(
                        format!(
                            "Directive \"@{}\" argument \"{}\" of type \"{ty}\" is required, but it was not provided.",
                            def.name, arg_def.name
                        ),
                        dir.pos,
                    );
                }
            }
        }
        // UniqueArgumentNames
        self.unique_arguments(&dir.arguments);
    }

    pub(super) fn on_directive_list(&mut self, dirs: &'a [Directive]) {
        // UniqueDirectivesPerLocation
        let mut seen = HashSet::new();
        for dir in dirs {
            let repeatable = self
                .schema
                .directives
                .get(&dir.name)
                .is_some_and(|d| d.is_repeatable);
            if !seen.insert(dir.name.as_str()) && !repeatable {
                self.error(
                    format!(
                        "The directive \"@{}\" can only be used once at this location.",
                        dir.name
                    ),
                    dir.pos,
                );
            }
        }
    }

    pub(super) fn on_value(
        &mut self,
        value: &'a GValue,
        ctx: ValueCtx<'a>,
        var_def: Option<&'a VariableDefinition>,
    ) {
        // NoUndefinedVariables
        if let Some(op) = self.current_op {
            if value.kind == kind::VARIABLE && var_def.is_none() {
                let message = if op.name.is_empty() {
                    format!("Variable \"${}\" is not defined.", value.raw)
                } else {
                    format!(
                        "Variable \"${}\" is not defined by operation \"{}\".",
                        value.raw, op.name
                    )
                };
                self.error(message, value.pos);
            }
        }
        // UniqueInputFieldNames
        if value.kind == kind::OBJECT {
            let mut seen = HashSet::new();
            for child in &value.children {
                if !seen.insert(child.name.as_str()) {
                    self.error(
                        format!(
                            "There can be only one input field named \"{}\".",
                            child.name
                        ),
                        child.pos,
                    );
                }
            }
        }
        // ValuesOfCorrectType
        self.check_value_type(value, ctx);
        // VariablesInAllowedPosition
        if let (Some(expected), Some(var), Some(_)) = (ctx.expected, var_def, self.current_op) {
            if value.kind == kind::VARIABLE {
                let mut allowed = expected.clone();
                let var_default = var
                    .default_value
                    .as_ref()
                    .is_some_and(|d| d.kind != kind::NULL);
                if (var_default && expected.non_null) || ctx.has_default {
                    allowed.non_null = false;
                }
                let var_type = type_of(&var.ty);
                if !var_type.is_compatible(&allowed) {
                    self.error(
                        format!(
                            "Variable \"${}\" of type \"{var_type}\" used in position expecting type \"{expected}\".",
                            value.raw
                        ),
                        value.pos,
                    );
                }
            }
        }
    }

    fn check_value_type(&mut self, value: &'a GValue, ctx: ValueCtx<'a>) {
        let (Some(def), Some(expected)) = (ctx.def, ctx.expected) else {
            return;
        };
        if value.kind == kind::NULL && expected.non_null {
            self.error(
                format!("Expected value of type \"{expected}\", found {value}."),
                value.pos,
            );
        }
        if def.kind == "SCALAR" && !BUILTIN_SCALARS.contains(&def.name.as_str()) {
            return;
        }
        let enums: Vec<&str> = if def.kind == "ENUM" {
            def.enum_values.iter().map(|e| e.name.as_str()).collect()
        } else {
            Vec::new()
        };
        if !value_converts(value) {
            let message = unexpected_type(value, expected, def);
            self.error(message, value.pos);
        }
        let named = |names: &[&str]| names.contains(&def.name.as_str());
        let plain_mismatch = match value.kind {
            kind::LIST => expected.elem.is_none(),
            kind::INT => !named(&["Int", "Float", "ID"]),
            kind::FLOAT => !named(&["Float"]),
            kind::BOOLEAN => !named(&["Boolean"]),
            kind::STRING | kind::BLOCK if def.kind == "ENUM" => {
                let mut message =
                    format!("Enum \"{expected}\" cannot represent non-enum value: {value}.");
                suggest(
                    &mut message,
                    "Did you mean the enum value",
                    &value.raw,
                    &enums,
                    true,
                );
                self.error(message, value.pos);
                false
            }
            kind::STRING | kind::BLOCK => !named(&["String", "ID"]),
            kind::ENUM if def.kind != "ENUM" => {
                let mut message = unexpected_type(value, expected, def);
                suggest(
                    &mut message,
                    "Did you mean the enum value",
                    &value.raw,
                    &enums,
                    false,
                );
                self.error(message, value.pos);
                false
            }
            kind::ENUM if !enums.contains(&value.raw.as_str()) => {
                let mut message =
                    format!("Value \"{value}\" does not exist in \"{expected}\" enum.");
                suggest(
                    &mut message,
                    "Did you mean the enum value",
                    &value.raw,
                    &enums,
                    true,
                );
                self.error(message, value.pos);
                false
            }
            kind::OBJECT => {
                for field in &def.fields {
                    let ty = type_of(&field.ty);
                    if ty.non_null
                        && field.default_value.is_none()
                        && !value.children.iter().any(|c| c.name == field.name)
                    {
                        self.error(
                            format!(
                                "Field \"{}.{}\" of required type \"{ty}\" was not provided.",
                                def.name, field.name
                            ),
                            value.pos,
                        );
                    }
                }
                let names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
                for child in &value.children {
                    if def.field(&child.name).is_none() {
                        let mut message = format!(
                            "Field \"{}\" is not defined by type \"{}\".",
                            child.name, def.name
                        );
                        suggest(&mut message, "Did you mean", &child.name, &names, true);
                        self.error(message, child.pos);
                    }
                }
                false
            }
            _ => false,
        };
        if plain_mismatch {
            let message = unexpected_type(value, expected, def);
            self.error(message, value.pos);
        }
    }
}

/// Whether gqlparser can turn the literal into a Go value (integers fit 64 bits, ...).
fn value_converts(value: &GValue) -> bool {
    match value.kind {
        kind::INT => value.raw.parse::<i64>().is_ok(),
        kind::FLOAT => value.raw.parse::<f64>().is_ok_and(f64::is_finite),
        kind::BOOLEAN => matches!(
            value.raw.as_str(),
            "1" | "t"
                | "T"
                | "TRUE"
                | "true"
                | "True"
                | "0"
                | "f"
                | "F"
                | "FALSE"
                | "false"
                | "False"
        ),
        kind::LIST | kind::OBJECT => value
            .children
            .iter()
            .all(|c| c.value.as_deref().is_none_or(value_converts)),
        _ => true,
    }
}

/// gqlparser's "cannot represent" message for a value of the wrong type.
fn unexpected_type(value: &GValue, expected: &Type, def: &Definition) -> String {
    match expected.to_string().as_str() {
        "Int" | "Int!" => {
            let digits = value.raw.strip_prefix('-').unwrap_or(&value.raw);
            let integral = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            if integral && value.raw.parse::<i32>().is_err() {
                format!("Int cannot represent non 32-bit signed integer value: {value}")
            } else {
                format!("Int cannot represent non-integer value: {value}")
            }
        }
        "String" | "String!" | "[String]" => {
            format!("String cannot represent a non string value: {value}")
        }
        "Boolean" | "Boolean!" => format!("Boolean cannot represent a non boolean value: {value}"),
        "Float" | "Float!" => format!("Float cannot represent non numeric value: {value}"),
        "ID" | "ID!" => format!("ID cannot represent a non-string and non-integer value: {value}"),
        _ if def.kind == "ENUM" => {
            format!("Enum \"{expected}\" cannot represent non-enum value: {value}.")
        }
        _ => format!("Expected value of type \"{expected}\", found {value}."),
    }
}

/// Every fragment spread in a selection set, nested ones included.
pub(crate) fn fragment_spreads(set: &[Selection]) -> Vec<&FragmentSpread> {
    let mut out = Vec::new();
    let mut stack = vec![set];
    while let Some(set) = stack.pop() {
        for sel in set {
            match sel {
                Selection::FragmentSpread(s) => out.push(s),
                Selection::Field(f) => stack.push(&f.selection_set),
                Selection::InlineFragment(i) => stack.push(&i.selection_set),
            }
        }
    }
    out
}
