//! The rules of `volumes.rs`: for each, a definition that passes and one that breaks it.
