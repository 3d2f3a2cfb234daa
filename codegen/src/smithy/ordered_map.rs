//! A map that keeps JSON object keys in the order the model wrote them.
//!
//! Member order is part of a Smithy model (it is the order of struct fields and of
//! documentation), so members cannot live in a `BTreeMap` or a `HashMap`.

use std::collections::HashMap;
use std::fmt;

/// Insertion-ordered map from names to values. Lookups are linear while the map is small (the
/// members of a shape); past [`INDEX_FROM`] entries (a model's shapes) a hash index keeps
/// building and reading the map linear in its size.
#[derive(Clone)]
pub struct OrderedMap<V> {
    entries: Vec<(String, V)>,
    index: Option<HashMap<String, usize>>,
}

/// The size from which an [`OrderedMap`] keeps a hash index.
const INDEX_FROM: usize = 32;

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        Self { entries: Vec::new(), index: None }
    }
}

impl<V: fmt::Debug> fmt::Debug for OrderedMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrderedMap").field("entries", &self.entries).finish()
    }
}

impl<V: PartialEq> PartialEq for OrderedMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<V> OrderedMap<V> {
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).map(|at| &self.entries[at].1)
    }

    /// The value under `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.position(key).map(|at| &mut self.entries[at].1)
    }

    /// Adds or replaces the value under `key`, keeping the first position of the key.
    pub fn insert(&mut self, key: String, value: V) {
        if let Some(at) = self.position(&key) {
            self.entries[at].1 = value;
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() >= INDEX_FROM {
            self.index = Some(self.entries.iter().enumerate().map(|(at, (k, _))| (k.clone(), at)).collect());
        }
    }

    /// Entries in model order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<V> IntoIterator for OrderedMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::OrderedMap;

    #[test]
    fn keeps_order_and_finds_keys_below_and_above_the_index_size() {
        for size in [3, super::INDEX_FROM, 5 * super::INDEX_FROM] {
            let mut map = OrderedMap::default();
            for i in (0..size).rev() {
                map.insert(format!("k{i}"), i);
            }
            map.insert("k1".to_owned(), 100);
            map.insert("new".to_owned(), 7);
            assert_eq!(map.len(), size + 1);
            assert_eq!(map.get("k1"), Some(&100), "replaced in place (size {size})");
            assert_eq!(map.get("k0"), Some(&0));
            assert_eq!(map.get("new"), Some(&7));
            assert_eq!(map.get("absent"), None);
            let keys: Vec<&String> = map.iter().map(|(k, _)| k).collect();
            assert_eq!(keys[0], &format!("k{}", size - 1), "insertion order kept");
            assert_eq!(keys[size - 2], "k1");
            assert_eq!(keys[size], "new");
            *map.get_mut("k0").unwrap() += 1;
            assert_eq!(map.get("k0"), Some(&1));
        }
    }
}
