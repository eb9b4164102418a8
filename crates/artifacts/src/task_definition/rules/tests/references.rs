//! The rules of `references.rs`: for each, a definition that passes and one that breaks it.
