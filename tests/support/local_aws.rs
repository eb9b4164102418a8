//! The local AWS endpoint and the AWS CLI, for the tests of the `aws` target.
//!
//! `tests/run.sh` starts moto on `127.0.0.1`, exports `AWS_ENDPOINT_URL` and dummy credentials,
//! and puts the pinned AWS CLI on `PATH`. Without it the tests that need them fail loudly; they
//! never skip.

use std::process::Command;

/// The local AWS endpoint from `AWS_ENDPOINT_URL`.
///
/// # Panics
///
/// When `AWS_ENDPOINT_URL` is not set: the tests that need the endpoint must fail, not skip.
pub(crate) fn endpoint() -> String {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "the local AWS endpoint is not running: run tests/run.sh, which starts moto \
             (`AWS_ENDPOINT_URL` is not set)"
        ),
    }
}

/// Runs the AWS CLI against the local endpoint and returns its stdout; panics on failure.
pub(crate) fn aws(args: &[&str]) -> Vec<u8> {
    aws_at(&endpoint(), args)
}

/// Runs the AWS CLI against `url` (a test endpoint in front of the local one) and returns its
/// stdout; panics on failure.
pub(crate) fn aws_at(url: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new("aws")
        .arg("--endpoint-url")
        .arg(url)
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run the AWS CLI `aws` ({error}): run tests/run.sh, which installs it \
                 into .venv and puts it on PATH"
            )
        });
    assert!(
        output.status.success(),
        "`aws {}` failed ({}): {}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}
