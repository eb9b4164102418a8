//! The rules of `logging.rs`: for each, a definition that passes and one that breaks it.
