//! The near-miss suggester, the crate's.

pub(crate) use crate::suggest::{Reach, backticked, similar};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(backticked(["a", "b"]), "`a`, `b`");
    }
}
