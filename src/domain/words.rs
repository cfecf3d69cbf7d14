//! Words a large import or restore meets again and again (an advisor's id, a topic's code, a
//! department), each held once and shared, however many rows repeat it.

use std::collections::HashSet;
use std::rc::Rc;

/// The words met so far, each held once.
#[derive(Debug, Default)]
pub struct Words(HashSet<Rc<str>>);

impl Words {
    /// `word`, shared with every earlier word spelt the same.
    pub fn of(&mut self, word: &str) -> Rc<str> {
        if let Some(held) = self.0.get(word) {
            return Rc::clone(held);
        }
        let held: Rc<str> = Rc::from(word);
        self.0.insert(Rc::clone(&held));
        held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_met_twice_is_held_once() {
        let mut words = Words::default();
        let first = words.of("A001");
        let again = words.of("A001");
        assert!(Rc::ptr_eq(&first, &again));
        assert!(!Rc::ptr_eq(&first, &words.of("A002")));
    }
}
