//! Fault injection for every AWS call the programs make: the built programs talk to the local
//! endpoint through [`crate::support::fault_proxy`], which injects throttling, server errors,
//! resets and delays. Transient faults must be retried by the SDK and the run must succeed; persistent ones
//! must end with exit 2 and an error naming the operation, with no success line, no file left
//! behind and no multipart upload left open, after a number of attempts the retry limit bounds.
//!
//! Each test prints one line of figures per scenario (`faults: s3-upload 503x2 -> retried, ok`);
//! run with `--nocapture` to see them.

use crate::support::fault_proxy::{Fault, Plan, Proxy};
use crate::support::harness::{Outcome, Test};
use crate::support::local_aws::endpoint;

mod s3;
mod services;

/// Attempts per call when a test bounds them: the SDK's standard mode default, made explicit.
pub(crate) const ATTEMPTS: u32 = 3;

/// Points `test` at `proxy` (all services) with `ATTEMPTS` attempts in standard mode.
pub(crate) fn through(test: Test, proxy: &Proxy) -> Test {
    test.with_aws()
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .env("AWS_MAX_ATTEMPTS", &ATTEMPTS.to_string())
        .env("AWS_RETRY_MODE", "standard")
}

/// A proxy in front of moto.
pub(crate) fn moto_proxy(plan: Plan) -> Proxy {
    Proxy::start(&endpoint(), plan)
}

/// Prints the figures of one scenario and returns the outcome for further checks.
#[track_caller]
pub(crate) fn figure(operation: &str, fault: Fault, proxy: &Proxy, outcome: Outcome) -> Outcome {
    let (injected, attempts) = (proxy.faults(), proxy.matched());
    let result = match outcome.code {
        0 => "retried, ok".to_owned(),
        code => format!("gave up, exit {code}"),
    };
    let line = format!(
        "faults: {operation} {}x{injected} -> {result} ({attempts} attempts of the faulty call, \
         {} requests in all)",
        fault.label(),
        proxy.requests()
    );
    crate::support::harness::figure(&line);
    outcome
}

/// A persistent fault's run: exit 2, the operation named, no success line on either stream,
/// and exactly `ATTEMPTS` tries of the faulty call (the retry limit bounds the time).
#[track_caller]
pub(crate) fn gave_up(outcome: &Outcome, proxy: &Proxy, operation: &str, claims: &[&str]) {
    assert_eq!(
        outcome.code, 2,
        "exit code\n~~~ stdout\n{}~~~ stderr\n{}~~~",
        outcome.stdout, outcome.stderr
    );
    assert!(
        outcome.stderr.contains(&format!("error: `{operation}`")),
        "the error names `{operation}`:\n{}",
        outcome.stderr
    );
    for claim in claims {
        assert!(
            !outcome.stderr.contains(claim) && !outcome.stdout.contains(claim),
            "a failed run claims `{claim}`:\n{}{}",
            outcome.stdout,
            outcome.stderr
        );
    }
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    assert_eq!(
        proxy.matched(),
        ATTEMPTS,
        "attempts of the faulty call, with AWS_MAX_ATTEMPTS={ATTEMPTS}"
    );
}

/// A transient fault's run: success, with `faults` injected and one more attempt that passed.
#[track_caller]
pub(crate) fn recovered(outcome: &Outcome, proxy: &Proxy, faults: u32) {
    assert_eq!(
        outcome.code, 0,
        "exit code\n~~~ stdout\n{}~~~ stderr\n{}~~~",
        outcome.stdout, outcome.stderr
    );
    assert_eq!(proxy.faults(), faults, "faults injected");
    assert!(
        proxy.matched() > faults,
        "the call was tried again after the faults: {} attempts",
        proxy.matched()
    );
}

/// The files a run left, without the inputs: no temporary files, nothing half-written.
pub(crate) fn leftovers(outcome: &Outcome, inputs: &[&str]) -> Vec<String> {
    outcome
        .files()
        .into_iter()
        .filter(|file| !inputs.contains(&file.as_str()))
        .collect()
}
