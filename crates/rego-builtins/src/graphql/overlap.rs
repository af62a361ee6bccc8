//! The "overlapping fields can be merged" rule, following gqlparser's version of the
//! graphql-js algorithm: fields with one response name must be the same field with the same
//! arguments (unless their parents are different object types) and compatible types, checked
//! within each selection set, against spread fragments, and between fragments.

use std::collections::{HashMap, HashSet};

use super::ast::*;
use super::schema::type_of;
use super::validate::Walker;

/// The rule's memory across one validation.
#[derive(Default)]
pub(crate) struct Overlap<'a> {
    compared_pairs: HashMap<String, HashMap<String, bool>>,
    compared_fragments: HashSet<String>,
    _doc: std::marker::PhantomData<&'a ()>,
}

/// A field with the type it was selected on.
#[derive(Clone, Copy)]
struct CField<'a> {
    field: &'a Field,
    parent: Option<&'a Definition>,
}

/// Fields by response name, in first-seen order.
#[derive(Default)]
struct FieldMap<'a> {
    entries: Vec<(String, Vec<CField<'a>>)>,
}

impl<'a> FieldMap<'a> {
    fn push(&mut self, name: String, field: CField<'a>) {
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(field),
            None => self.entries.push((name, vec![field])),
        }
    }

    fn get(&self, name: &str) -> Option<&[CField<'a>]> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, l)| l.as_slice())
    }

    /// Deep equality, as Go's `reflect.DeepEqual` sees two such maps.
    fn same(&self, other: &FieldMap<'a>) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|((na, la), (nb, lb))| {
                    na == nb
                        && la.len() == lb.len()
                        && la.iter().zip(lb).all(|(a, b)| {
                            a.field == b.field
                                && a.parent.map(|p| &p.name) == b.parent.map(|p| &p.name)
                        })
                })
    }
}

struct Conflict {
    response: String,
    message: String,
    subs: Vec<Conflict>,
    pos: Option<Pos>,
}

impl Conflict {
    fn reason(&self) -> String {
        if self.subs.is_empty() {
            return self.message.clone();
        }
        let parts: Vec<String> = self
            .subs
            .iter()
            .map(|s| {
                format!(
                    "subfields \"{}\" conflict because {}",
                    s.response,
                    s.reason()
                )
            })
            .collect();
        parts.join(" and ")
    }
}

fn response_name(f: &Field) -> String {
    if f.alias.is_empty() {
        f.name.clone()
    } else {
        f.alias.clone()
    }
}

fn same_arguments(a: &[Argument], b: &[Argument]) -> bool {
    a.len() == b.len()
        && a.iter().all(|x| {
            b.iter().any(|y| {
                x.name == y.name
                    && match (x.value.as_deref(), y.value.as_deref()) {
                        (Some(vx), Some(vy)) => vx.kind == vy.kind && vx.raw == vy.raw,
                        (None, None) => true,
                        _ => false,
                    }
            })
        })
}

impl<'a> Walker<'a> {
    /// Reports the conflicts within one selection set.
    pub(super) fn check_overlaps(&mut self, set: &'a [Selection], parent: Option<&'a Definition>) {
        for c in self.conflicts_within(set, parent) {
            self.error(
                format!(
                    "Fields \"{}\" conflict because {}. Use different aliases on the fields to fetch both if this was intentional.",
                    c.response,
                    c.reason()
                ),
                c.pos,
            );
        }
    }

    fn collect(
        &self,
        set: &'a [Selection],
        parent: Option<&'a Definition>,
        fields: &mut FieldMap<'a>,
        spreads: &mut Vec<&'a FragmentSpread>,
    ) {
        for sel in set {
            match sel {
                Selection::Field(f) => fields.push(response_name(f), CField { field: f, parent }),
                Selection::InlineFragment(i) => {
                    let next = if i.type_condition.is_empty() {
                        parent
                    } else {
                        self.ty(&i.type_condition)
                    };
                    self.collect(&i.selection_set, next, fields, spreads);
                }
                Selection::FragmentSpread(s) => spreads.push(s),
            }
        }
    }

    fn fields_of(
        &self,
        set: &'a [Selection],
        parent: Option<&'a Definition>,
    ) -> (FieldMap<'a>, Vec<&'a FragmentSpread>) {
        let mut fields = FieldMap::default();
        let mut spreads = Vec::new();
        self.collect(set, parent, &mut fields, &mut spreads);
        (fields, spreads)
    }

    fn fragment_fields(
        &self,
        spread: &FragmentSpread,
    ) -> Option<(FieldMap<'a>, Vec<&'a FragmentSpread>)> {
        let frag = self.fragment(&spread.name)?;
        Some(self.fields_of(&frag.selection_set, self.ty(&frag.type_condition)))
    }

    fn conflicts_within(
        &mut self,
        set: &'a [Selection],
        parent: Option<&'a Definition>,
    ) -> Vec<Conflict> {
        let mut out = Vec::new();
        if set.is_empty() {
            return out;
        }
        let (fields, spreads) = self.fields_of(set, parent);
        for (_, list) in &fields.entries {
            for (i, a) in list.iter().enumerate() {
                for b in &list[i + 1..] {
                    if let Some(c) = self.find_conflict(false, a, b) {
                        out.push(c);
                    }
                }
            }
        }
        self.overlap.compared_fragments.clear();
        for (i, a) in spreads.iter().enumerate() {
            self.between_fields_and_fragment(&mut out, false, &fields, a);
            for b in &spreads[i + 1..] {
                self.between_fragments(&mut out, false, a, b);
            }
        }
        out
    }

    fn between_fields_and_fragment(
        &mut self,
        out: &mut Vec<Conflict>,
        exclusive: bool,
        fields: &FieldMap<'a>,
        spread: &'a FragmentSpread,
    ) {
        if !self.overlap.compared_fragments.insert(spread.name.clone()) {
            return;
        }
        let Some((fields_b, spreads_b)) = self.fragment_fields(spread) else {
            return;
        };
        if fields.same(&fields_b) {
            return;
        }
        self.between(out, exclusive, fields, &fields_b);
        for s in spreads_b {
            if s.name != spread.name {
                self.between_fields_and_fragment(out, exclusive, fields, s);
            }
        }
    }

    fn pair_seen(&self, a: &str, b: &str, exclusive: bool) -> bool {
        match self.overlap.compared_pairs.get(a).and_then(|m| m.get(b)) {
            None => false,
            Some(&was_exclusive) => exclusive || !was_exclusive,
        }
    }

    fn between_fragments(
        &mut self,
        out: &mut Vec<Conflict>,
        exclusive: bool,
        a: &'a FragmentSpread,
        b: &'a FragmentSpread,
    ) {
        if a.name == b.name || self.pair_seen(&a.name, &b.name, exclusive) {
            return;
        }
        for (x, y) in [(&a.name, &b.name), (&b.name, &a.name)] {
            self.overlap
                .compared_pairs
                .entry(x.clone())
                .or_default()
                .insert(y.clone(), exclusive);
        }
        let (Some((fields_a, spreads_a)), Some((fields_b, spreads_b))) =
            (self.fragment_fields(a), self.fragment_fields(b))
        else {
            return;
        };
        self.between(out, exclusive, &fields_a, &fields_b);
        for s in spreads_b {
            self.between_fragments(out, exclusive, a, s);
        }
        for s in spreads_a {
            self.between_fragments(out, exclusive, s, b);
        }
    }

    fn between(
        &mut self,
        out: &mut Vec<Conflict>,
        exclusive: bool,
        fields_a: &FieldMap<'a>,
        fields_b: &FieldMap<'a>,
    ) {
        for (name, list_a) in &fields_a.entries {
            let Some(list_b) = fields_b.get(name) else {
                continue;
            };
            for a in list_a {
                for b in list_b {
                    if let Some(c) = self.find_conflict(exclusive, a, b) {
                        out.push(c);
                    }
                }
            }
        }
    }

    fn find_conflict(
        &mut self,
        parents_exclusive: bool,
        a: &CField<'a>,
        b: &CField<'a>,
    ) -> Option<Conflict> {
        let (pa, pb) = (a.parent?, b.parent?);
        let def_a = self.field_def(Some(pa), &a.field.name)?;
        let def_b = self.field_def(Some(pb), &b.field.name)?;
        let exclusive =
            parents_exclusive || (pa.name != pb.name && pa.kind == "OBJECT" && pb.kind == "OBJECT");
        let response = response_name(a.field);
        let conflict = |message: String| Conflict {
            response: response.clone(),
            message,
            subs: Vec::new(),
            pos: b.field.pos,
        };
        if !exclusive {
            if a.field.name != b.field.name {
                return Some(conflict(format!(
                    "{} and {} are different fields",
                    a.field.name, b.field.name
                )));
            }
            if !same_arguments(&a.field.arguments, &b.field.arguments) {
                return Some(conflict("they have differing arguments".to_string()));
            }
        }
        let (ta, tb) = (type_of(&def_a.ty), type_of(&def_b.ty));
        if self.types_conflict(ta, tb) {
            return Some(conflict(format!(
                "they return conflicting types {ta} and {tb}"
            )));
        }
        let subs = self.between_subselections(
            exclusive,
            (&a.field.selection_set, self.ty(ta.name())),
            (&b.field.selection_set, self.ty(tb.name())),
        );
        if subs.is_empty() {
            return None;
        }
        Some(Conflict {
            response,
            message: String::new(),
            subs,
            pos: b.field.pos,
        })
    }

    fn between_subselections(
        &mut self,
        exclusive: bool,
        (set_a, parent_a): (&'a [Selection], Option<&'a Definition>),
        (set_b, parent_b): (&'a [Selection], Option<&'a Definition>),
    ) -> Vec<Conflict> {
        let mut out = Vec::new();
        let (fields_a, spreads_a) = self.fields_of(set_a, parent_a);
        let (fields_b, spreads_b) = self.fields_of(set_b, parent_b);
        self.between(&mut out, exclusive, &fields_a, &fields_b);
        for s in &spreads_b {
            self.overlap.compared_fragments.clear();
            self.between_fields_and_fragment(&mut out, exclusive, &fields_a, s);
        }
        for s in &spreads_a {
            self.overlap.compared_fragments.clear();
            self.between_fields_and_fragment(&mut out, exclusive, &fields_b, s);
        }
        for a in &spreads_a {
            for b in &spreads_b {
                self.between_fragments(&mut out, exclusive, a, b);
            }
        }
        out
    }

    fn types_conflict(&self, a: &Type, b: &Type) -> bool {
        match (&a.elem, &b.elem) {
            (Some(ea), Some(eb)) => return self.types_conflict(ea, eb),
            (Some(_), None) | (None, Some(_)) => return true,
            (None, None) => {}
        }
        if a.non_null != b.non_null {
            return true;
        }
        match (self.ty(&a.named_type), self.ty(&b.named_type)) {
            (Some(ta), Some(tb)) if ta.is_leaf() && tb.is_leaf() => ta.name != tb.name,
            _ => false,
        }
    }
}
