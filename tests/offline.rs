//! The tests that need nothing but the built programs: `cargo test` runs them on any machine,
//! with no local AWS endpoint and no AWS CLI. The tests that need those are in `aws.rs`.
//!
//! Each program has its folder (`tests/<program>/`), with a `snapshots.rs` whose expected
//! outputs are in `snapshots/` beside it; `hardening/` holds the tests across programs
//! (malformed input, crashes, secrets) and `emulators/` the tests of the CodeBuild emulator the
//! end-to-end tests stand on. What every test shares is in `support/`.

mod support;

mod imagedefs {
    mod check;
    mod config;
    mod detail;
    mod generate;
    mod snapshots;
}

mod taskdef {
    mod check;
    mod config;
    mod corpus;
    mod render;
    mod snapshots;
}

mod appspec {
    mod check;
    mod flags;
    mod render;
    mod snapshots;
}

mod tagcheck {
    mod answers;
    mod files;
    mod pulls;
    mod snapshots;
}

mod verify {
    mod artifacts;
    mod config;
    mod service;
    mod snapshots;
    mod template;
}

mod bundle {
    mod config;
    mod snapshots;
    mod zip;
}

mod pipeline {
    mod config;
    mod snapshots;
    mod wire;
}

mod scaling {
    mod snapshots;
}

mod hardening {
    mod answers;
    mod corpus;
    mod corpus_readers;
    mod crash_safety;
    mod parsers;
    mod quoting;
    mod reading;
    mod regions;
    mod secrets;
    mod signals;
    mod writing;
}

mod emulators {
    mod codebuild;
}
