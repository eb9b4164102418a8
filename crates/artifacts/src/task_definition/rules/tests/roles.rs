//! The rules of `roles.rs`: for each, a definition that passes and one that breaks it.
