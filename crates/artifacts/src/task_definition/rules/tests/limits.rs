//! The rules of `limits.rs`: for each, a definition that passes and one that breaks it.
