//! A set that remembers only its most recent entries: the session's bookkeeping (items
//! delivered, ids of its own sends, receipts sent) stays bounded however long the chat runs.

use std::collections::{HashSet, VecDeque};
use std::hash::Hash;

/// The last `capacity` distinct values inserted; older ones are forgotten first.
#[derive(Debug)]
pub(crate) struct Window<T> {
    order: VecDeque<T>,
    members: HashSet<T>,
    capacity: usize,
}

impl<T: Hash + Eq + Clone> Window<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self { order: VecDeque::new(), members: HashSet::new(), capacity: capacity.max(1) }
    }

    /// Adds `value`; `false` when it was already there.
    pub(crate) fn insert(&mut self, value: T) -> bool {
        if self.members.contains(&value) {
            return false;
        }
        if self.order.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.members.remove(&oldest);
        }
        self.members.insert(value.clone());
        self.order.push_back(value);
        true
    }

    pub(crate) fn contains(&self, value: &T) -> bool {
        self.members.contains(value)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn forgets_the_oldest_beyond_its_capacity() {
        let mut window = super::Window::new(3);
        assert!(window.insert(1));
        assert!(!window.insert(1));
        for n in 2..=5 {
            window.insert(n);
        }
        assert_eq!(window.len(), 3);
        assert!(!window.contains(&2) && window.contains(&3) && window.contains(&5));
    }
}
