//! The rules of `platform.rs`: for each, a definition that passes and one that breaks it.
