//! Sets and objects: shared vectors kept sorted by [`Value`]'s order, and builders that sort once.

use std::cmp::Ordering;
use std::ops::Deref;
use std::sync::Arc;

use super::Value;
use super::order::cmp_to_str;

/// A Rego set: a shared vector of distinct values in ascending order.
///
/// Membership is a binary search; equality and ordering compare the sorted elements. Build one
/// from a vector ([`Set::from_vec`]) or with a [`SetBuilder`]: both sort and deduplicate once.
/// It dereferences to the sorted slice.
#[derive(Clone)]
pub struct Set(Arc<Vec<Value>>);

/// A Rego object: a shared vector of `(key, value)` pairs in ascending key order, keys distinct.
///
/// Keys may be any value. Lookup is a binary search. Build one from a vector
/// ([`Object::from_vec`]) or with an [`ObjectBuilder`]: both sort once, and of several entries
/// with equal keys the **last** one wins (as when a JSON object repeats a key). It dereferences to
/// the sorted slice of pairs.
#[derive(Clone)]
pub struct Object(Arc<Vec<(Value, Value)>>);

impl Set {
    /// The empty set.
    pub fn new() -> Set {
        Set(Arc::new(Vec::new()))
    }

    /// The set of `items`, sorted and deduplicated.
    pub fn from_vec(mut items: Vec<Value>) -> Set {
        items.sort_unstable();
        items.dedup();
        Set(Arc::new(items))
    }

    /// The elements in ascending order.
    pub fn as_slice(&self) -> &[Value] {
        &self.0
    }

    /// The elements in ascending order, taken out of the set (cloned if shared).
    pub fn into_vec(self) -> Vec<Value> {
        Arc::unwrap_or_clone(self.0)
    }

    /// True if `value` is an element.
    pub fn contains(&self, value: &Value) -> bool {
        self.0.binary_search(value).is_ok()
    }

    /// The element equal to `value`, if any.
    pub fn get(&self, value: &Value) -> Option<&Value> {
        self.0.binary_search(value).ok().map(|i| &self.0[i])
    }

    /// Adds `value`; returns false if it was already present. Costs O(n) per call (a shift and
    /// a copy if the set is shared): to add many elements use a [`SetBuilder`].
    pub fn insert(&mut self, value: Value) -> bool {
        match self.0.binary_search(&value) {
            Ok(_) => false,
            Err(i) => {
                Arc::make_mut(&mut self.0).insert(i, value);
                true
            }
        }
    }

    /// True if both sets are the same allocation (so certainly equal).
    pub fn ptr_eq(a: &Set, b: &Set) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// `self | other`, by one merge.
    pub fn union(&self, other: &Set) -> Set {
        if other.is_empty() || Set::ptr_eq(self, other) {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let (a, b) = (self.as_slice(), other.as_slice());
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                Ordering::Less => {
                    out.push(a[i].clone());
                    i += 1;
                }
                Ordering::Greater => {
                    out.push(b[j].clone());
                    j += 1;
                }
                Ordering::Equal => {
                    out.push(a[i].clone());
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        Set(Arc::new(out))
    }

    /// `self & other`: the smaller set's elements looked up in the larger one.
    pub fn intersection(&self, other: &Set) -> Set {
        if Set::ptr_eq(self, other) {
            return self.clone();
        }
        let (small, large) = if self.len() <= other.len() {
            (self, other)
        } else {
            (other, self)
        };
        let out: Vec<Value> = small
            .iter()
            .filter(|v| large.contains(v))
            .cloned()
            .collect();
        Set(Arc::new(out))
    }

    /// `self - other`.
    pub fn difference(&self, other: &Set) -> Set {
        if other.is_empty() {
            return self.clone();
        }
        let out: Vec<Value> = self
            .iter()
            .filter(|v| !other.contains(v))
            .cloned()
            .collect();
        Set(Arc::new(out))
    }

    /// True if every element of `self` is in `other`.
    pub fn is_subset(&self, other: &Set) -> bool {
        self.len() <= other.len() && self.iter().all(|v| other.contains(v))
    }
}

impl Default for Set {
    fn default() -> Set {
        Set::new()
    }
}

impl Deref for Set {
    type Target = [Value];

    fn deref(&self) -> &[Value] {
        &self.0
    }
}

impl FromIterator<Value> for Set {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Set {
        Set::from_vec(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Set {
    type Item = &'a Value;
    type IntoIter = std::slice::Iter<'a, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Object {
    /// The empty object.
    pub fn new() -> Object {
        Object(Arc::new(Vec::new()))
    }

    /// The object of `entries`, sorted by key; of entries with equal keys the last one wins.
    pub fn from_vec(mut entries: Vec<(Value, Value)>) -> Object {
        // Stable, so equal keys stay in insertion order and the dedup below keeps the last.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                std::mem::swap(later, kept);
                true
            } else {
                false
            }
        });
        Object(Arc::new(entries))
    }

    /// The entries in ascending key order.
    pub fn as_slice(&self) -> &[(Value, Value)] {
        &self.0
    }

    /// The entries in ascending key order, taken out of the object (cloned if shared).
    pub fn into_vec(self) -> Vec<(Value, Value)> {
        Arc::unwrap_or_clone(self.0)
    }

    /// The value at `key`.
    pub fn get(&self, key: &Value) -> Option<&Value> {
        if let Value::String(s) = key {
            return self.get_str(s);
        }
        self.0
            .binary_search_by(|(k, _)| k.cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// The value at the string key `key`, without building a [`Value`] for the key.
    pub fn get_str(&self, key: &str) -> Option<&Value> {
        // A binary search that stops at the key: objects are small, and keys found.
        let entries = self.as_slice();
        let (mut lo, mut hi) = (0, entries.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (k, v) = &entries[mid];
            match cmp_to_str(k, key) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some(v),
            }
        }
        None
    }

    /// True if `key` is a key.
    pub fn contains_key(&self, key: &Value) -> bool {
        self.get(key).is_some()
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Value> + '_ {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, in ascending order of their keys.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Value> + '_ {
        self.0.iter().map(|(_, v)| v)
    }

    /// Sets `key` to `value`, returning the value it replaces. Costs O(n) per new key (a shift,
    /// and a copy if the object is shared): to add many entries use an [`ObjectBuilder`].
    pub fn insert(&mut self, key: Value, value: Value) -> Option<Value> {
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => Some(std::mem::replace(
                &mut Arc::make_mut(&mut self.0)[i].1,
                value,
            )),
            Err(i) => {
                Arc::make_mut(&mut self.0).insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &Value) -> Option<Value> {
        let i = self.0.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        Some(Arc::make_mut(&mut self.0).remove(i).1)
    }

    /// True if both objects are the same allocation (so certainly equal).
    pub fn ptr_eq(a: &Object, b: &Object) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl Default for Object {
    fn default() -> Object {
        Object::new()
    }
}

impl Deref for Object {
    type Target = [(Value, Value)];

    fn deref(&self) -> &[(Value, Value)] {
        &self.0
    }
}

impl FromIterator<(Value, Value)> for Object {
    fn from_iter<I: IntoIterator<Item = (Value, Value)>>(iter: I) -> Object {
        Object::from_vec(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Object {
    type Item = &'a (Value, Value);
    type IntoIter = std::slice::Iter<'a, (Value, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Collects set elements in any order and sorts them once, in [`SetBuilder::finish`].
///
/// ```
/// use rego_eval::{SetBuilder, Value};
/// let mut b = SetBuilder::new();
/// for i in [3, 1, 2, 1] {
///     b.push(Value::from(i));
/// }
/// assert_eq!(b.finish_value().to_string(), "{1, 2, 3}");
/// ```
#[derive(Clone, Default)]
pub struct SetBuilder {
    items: Vec<Value>,
    /// Pushes so far, duplicates included.
    pushed: usize,
    /// More than [`FEW_DISTINCT`] distinct values were pushed. Until then `items` holds
    /// distinct values only, so that many pushes of a few values (`{r.region | some r in
    /// records}`) keep it short and leave little to sort.
    many: bool,
}

/// How many distinct values a [`SetBuilder`] checks each push against.
const FEW_DISTINCT: usize = 8;

impl SetBuilder {
    /// An empty builder.
    pub fn new() -> SetBuilder {
        SetBuilder::default()
    }

    /// An empty builder with room for `n` elements.
    pub fn with_capacity(n: usize) -> SetBuilder {
        SetBuilder {
            items: Vec::with_capacity(n),
            ..SetBuilder::default()
        }
    }

    /// Adds an element (duplicates are dropped at the end).
    pub fn push(&mut self, value: Value) {
        self.pushed += 1;
        if !self.many {
            if super::order::position_of(&self.items, &value).is_some() {
                return;
            }
            self.many = self.items.len() == FEW_DISTINCT;
        }
        self.items.push(value);
    }

    /// How many elements were pushed, duplicates included.
    pub fn pushed(&self) -> usize {
        self.pushed
    }

    /// True if nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The set of the pushed elements.
    pub fn finish(self) -> Set {
        Set::from_vec(self.items)
    }

    /// The set of the pushed elements, as a [`Value`].
    pub fn finish_value(self) -> Value {
        Value::Set(self.finish())
    }
}

impl Extend<Value> for SetBuilder {
    fn extend<I: IntoIterator<Item = Value>>(&mut self, iter: I) {
        for v in iter {
            self.push(v);
        }
    }
}

/// Collects object entries in any order and sorts them once, in [`ObjectBuilder::finish`]; of
/// entries with equal keys the last one inserted wins.
///
/// ```
/// use rego_eval::{ObjectBuilder, Value};
/// let mut b = ObjectBuilder::new();
/// b.insert(Value::from("b"), Value::from(1));
/// b.insert(Value::from("a"), Value::from(2));
/// b.insert(Value::from("b"), Value::from(3));
/// assert_eq!(b.finish_value().to_string(), r#"{"a": 2, "b": 3}"#);
/// ```
#[derive(Clone, Default)]
pub struct ObjectBuilder {
    entries: Vec<(Value, Value)>,
}

impl ObjectBuilder {
    /// An empty builder.
    pub fn new() -> ObjectBuilder {
        ObjectBuilder::default()
    }

    /// An empty builder with room for `n` entries.
    pub fn with_capacity(n: usize) -> ObjectBuilder {
        ObjectBuilder {
            entries: Vec::with_capacity(n),
        }
    }

    /// Adds an entry; a later entry with an equal key replaces it at the end.
    pub fn insert(&mut self, key: Value, value: Value) {
        self.entries.push((key, value));
    }

    /// How many entries were inserted, repeated keys included.
    pub fn inserted(&self) -> usize {
        self.entries.len()
    }

    /// True if nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The object of the inserted entries.
    pub fn finish(self) -> Object {
        Object::from_vec(self.entries)
    }

    /// The object of the inserted entries, as a [`Value`].
    pub fn finish_value(self) -> Value {
        Value::Object(self.finish())
    }
}

impl Extend<(Value, Value)> for ObjectBuilder {
    fn extend<I: IntoIterator<Item = (Value, Value)>>(&mut self, iter: I) {
        self.entries.extend(iter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> Vec<Value> {
        v.iter().map(|&i| Value::from(i)).collect()
    }

    fn set(v: &[i64]) -> Set {
        Set::from_vec(ints(v))
    }

    #[test]
    fn set_normalises_and_searches() {
        let s = set(&[3, 1, 2, 3, 1]);
        assert_eq!(s.as_slice(), ints(&[1, 2, 3]).as_slice());
        assert!(s.contains(&Value::from(2)));
        assert!(s.contains(&Value::from_f64(2.0)));
        assert!(!s.contains(&Value::from(4)));
        assert_eq!(s.get(&Value::from(3)), Some(&Value::from(3)));
        let mut t = s.clone();
        assert!(t.insert(Value::from(0)));
        assert!(!t.insert(Value::from(0)));
        assert_eq!(t.as_slice(), ints(&[0, 1, 2, 3]).as_slice());
        assert_eq!(s.len(), 3, "insert copies a shared set");
        assert_eq!(set(&[]).len(), 0);
        assert_eq!(
            ints(&[2, 1]).into_iter().collect::<Set>().as_slice(),
            ints(&[1, 2]).as_slice()
        );
    }

    #[test]
    fn set_algebra() {
        let (a, b) = (set(&[1, 2, 3, 5]), set(&[2, 4, 5, 6]));
        assert_eq!(a.union(&b).as_slice(), ints(&[1, 2, 3, 4, 5, 6]).as_slice());
        assert_eq!(a.intersection(&b).as_slice(), ints(&[2, 5]).as_slice());
        assert_eq!(a.difference(&b).as_slice(), ints(&[1, 3]).as_slice());
        assert_eq!(b.difference(&a).as_slice(), ints(&[4, 6]).as_slice());
        assert_eq!(a.union(&Set::new()).as_slice(), a.as_slice());
        assert_eq!(Set::new().union(&b).as_slice(), b.as_slice());
        assert!(set(&[2, 5]).is_subset(&a));
        assert!(!b.is_subset(&a));
    }

    #[test]
    fn object_last_key_wins() {
        let o = Object::from_vec(vec![
            (Value::from("b"), Value::from(1)),
            (Value::from("a"), Value::from(2)),
            (Value::from("b"), Value::from(3)),
            (Value::from(1), Value::from(4)),
            (Value::from("b"), Value::from(5)),
        ]);
        assert_eq!(o.len(), 3);
        assert_eq!(
            o.keys().cloned().collect::<Vec<_>>(),
            vec![Value::from(1), Value::from("a"), Value::from("b")]
        );
        assert_eq!(o.get_str("b"), Some(&Value::from(5)));
        assert_eq!(o.get(&Value::from(1)), Some(&Value::from(4)));
        assert_eq!(o.get(&Value::from_f64(1.0)), Some(&Value::from(4)));
        assert_eq!(o.get_str("c"), None);
        assert_eq!(o.get_str("1"), None);
    }

    #[test]
    fn object_edits() {
        let mut o = Object::new();
        assert_eq!(o.insert(Value::from("x"), Value::from(1)), None);
        assert_eq!(o.insert(Value::from("a"), Value::from(2)), None);
        assert_eq!(
            o.insert(Value::from("x"), Value::from(3)),
            Some(Value::from(1))
        );
        let shared = o.clone();
        assert_eq!(o.remove(&Value::from("a")), Some(Value::from(2)));
        assert_eq!(o.remove(&Value::from("a")), None);
        assert_eq!(o.len(), 1);
        assert_eq!(shared.len(), 2);
        assert_eq!(shared.values().cloned().collect::<Vec<_>>(), ints(&[2, 3]));
    }

    #[test]
    fn builders() {
        let mut b = SetBuilder::with_capacity(4);
        b.extend(ints(&[5, 4, 5]));
        b.push(Value::from(1));
        assert_eq!(b.pushed(), 4);
        assert_eq!(b.finish().as_slice(), ints(&[1, 4, 5]).as_slice());
        // Few distinct values, then many: the same set either way.
        let mut b = SetBuilder::new();
        let pushes: Vec<i64> = (0..200).map(|i| (i * 7) % 3).chain((0..40).rev()).collect();
        b.extend(pushes.iter().map(|&i| Value::from(i)));
        b.push(Value::from_f64(2.0));
        assert_eq!(b.pushed(), 241);
        assert!(!b.is_empty());
        let all: Vec<i64> = (0..40).collect();
        assert_eq!(b.finish().as_slice(), ints(&all).as_slice());
        let mut o = ObjectBuilder::new();
        assert!(o.is_empty());
        o.extend([
            (Value::from("k"), Value::from(1)),
            (Value::from("k"), Value::from(2)),
        ]);
        assert_eq!(o.inserted(), 2);
        let o = o.finish();
        assert_eq!(o.get_str("k"), Some(&Value::from(2)));
    }
}
