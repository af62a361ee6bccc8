//! What a compiled policy holds beyond its rules: its packages, for tools that choose
//! packages by name (`rego validate --all-namespaces`). The rules themselves are listed by
//! [`crate::Engine::rules`].

use super::Policy;

impl Policy {
    /// Every module's package path (`a.b.c`), sorted, without duplicates.
    pub fn packages(&self) -> &[String] {
        &self.inner.packages
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;

    #[test]
    fn lists_packages_once_each_in_order() {
        let mut engine = Engine::new();
        for (name, source) in [
            ("b.rego", "package other.pkg\n\nx := 1\n"),
            ("a.rego", "package main\n\ndeny contains 1 if input.x\n"),
            ("c.rego", "package main\n\nallow if input.y\n"),
        ] {
            engine.add_module(name, source).unwrap();
        }
        let policy = engine.compile().unwrap();
        assert_eq!(policy.packages(), ["main", "other.pkg"]);
    }
}
