//! The tests that need the local AWS endpoint (moto), the AWS CLI or another external judge (the
//! SARIF validator, the JUnit reader): `tests/run.sh` installs them, starts the endpoint and
//! runs this target after `cargo test`. Plain
//! `cargo test` leaves it out (`test = false`); alone, with the endpoint running:
//! `cargo test --test aws`. The tests that need neither are in `offline.rs`.

mod support;

mod taskdef {
    mod ecs;
    mod prune;
    mod service_diff;
}

mod tagcheck {
    mod ecr;
    mod pin;
}

mod verify {
    mod account;
    mod balancing;
    mod execution;
    mod live;
    mod platform;
    mod registry;
}

mod reports {
    mod judges;
    mod scans;
}

mod bundle {
    mod s3;
}

mod pipeline {
    mod deploy;
    mod moto;
    mod rollback;
    mod running;
}

mod scaling {
    mod moto;
}

mod model_pipelines {
    mod account;
    mod approval;
    mod dev;
    mod failures;
    mod native;
    mod prod;
    mod resume;
    mod scan;
    mod workspace;
}

mod hardening {
    pub(crate) mod faults;
}

mod emulators {
    mod local_aws;
}
