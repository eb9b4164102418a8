//! The decisions of `ecs-pipeline`, apart from the calls that feed them: is an execution over
//! and how, is the waiting revision the tested one, how long to wait between polls, the
//! status table, and what runs where.

pub mod deploy;
mod rollback;
mod running;
mod table;

use std::time::Duration;

pub use rollback::{image_digests, stage_succeeded};
pub use running::{
    DefinedContainer, Deployed, RunningRow, identity, only_in, provenance, render_running,
    short_task_definition,
};
pub use table::{StatusRow, render_table};

/// How a pipeline execution ended, or that it has not yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// `InProgress`, `Stopping`, or a status newer than this build: keep waiting.
    Running,
    /// `Succeeded`.
    Succeeded,
    /// `Failed`, `Stopped`, `Cancelled` or `Superseded`: over, and not deployed.
    NotDeployed,
}

/// Classifies a `PipelineExecutionStatus` (CodePipeline API reference, `PipelineExecution`).
/// `Superseded` ends it: a newer execution took the stage, so this one will never finish.
#[must_use]
pub fn progress(status: &str) -> Progress {
    match status {
        "Succeeded" => Progress::Succeeded,
        "Failed" | "Stopped" | "Cancelled" | "Superseded" => Progress::NotDeployed,
        _ => Progress::Running,
    }
}

/// Whether `wanted` (a commit id, possibly abbreviated, an image digest or an object version)
/// names one of `revisions`. An abbreviated commit id of at least 7 hexadecimal digits matches
/// the full one it starts, as `git` does; anything else must match exactly.
#[must_use]
pub fn revision_matches<'a>(wanted: &str, revisions: impl IntoIterator<Item = &'a str>) -> bool {
    let wanted = wanted.trim();
    let abbreviated =
        wanted.len() >= 7 && wanted.len() < 40 && wanted.chars().all(|c| c.is_ascii_hexdigit());
    revisions.into_iter().any(|revision| {
        revision == wanted
            || (abbreviated
                && revision.len() == 40
                && revision
                    .get(..wanted.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(wanted)))
    })
}

/// Parses `90s`, `15m`, `2h` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let seconds_per_unit = match unit {
        "ms" => return parse_number(number, text).map(Duration::from_millis),
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => {
            return Err(format!(
                "`{text}` is not a duration such as `90s`, `15m` or `2h`"
            ));
        }
    };
    parse_number(number, text).map(|n| Duration::from_secs(n.saturating_mul(seconds_per_unit)))
}

fn parse_number(number: &str, text: &str) -> Result<u64, String> {
    number
        .parse::<u64>()
        .map_err(|_| format!("`{text}` is not a duration such as `90s`, `15m` or `2h`"))
}

/// The time between polls: `base` while the service answers, doubling on each throttled or
/// failed poll up to `ceiling`, and back to `base` after an answer. The SDK's standard retry
/// mode has already retried a throttled call with its own backoff before we see it, so a
/// throttled poll means the account's `GetPipelineExecution` rate is exhausted for a while
/// (CodePipeline quotas: 20 transactions per second shared per account and region), and a
/// longer pause helps every other caller too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    base: Duration,
    ceiling: Duration,
    current: Duration,
}

impl Backoff {
    /// Polls every `base`, never waiting longer than `ceiling` when throttled.
    #[must_use]
    pub fn new(base: Duration, ceiling: Duration) -> Self {
        let ceiling = ceiling.max(base);
        Self {
            base,
            ceiling,
            current: base,
        }
    }

    /// The pause after a poll that got an answer.
    pub fn answered(&mut self) -> Duration {
        self.current = self.base;
        self.current
    }

    /// The pause after a poll that got an answer, shortened by up to a fifth of `base` as
    /// `random` says: many waits started at once spread their calls over the interval instead
    /// of calling together, and each still polls within one interval.
    pub fn jittered(&mut self, random: u64) -> Duration {
        let base = self.answered();
        let fifth = base / 5;
        let cut = u64::try_from(fifth.as_nanos()).unwrap_or(u64::MAX);
        base.saturating_sub(Duration::from_nanos(random.checked_rem(cut).unwrap_or(0)))
    }

    /// The pause after a poll that was throttled or failed in passing.
    pub fn throttled(&mut self) -> Duration {
        self.current = self.current.saturating_mul(2).min(self.ceiling);
        self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_end_states_end_the_wait() {
        assert_eq!(progress("Succeeded"), Progress::Succeeded);
        for status in ["Failed", "Stopped", "Cancelled", "Superseded"] {
            assert_eq!(progress(status), Progress::NotDeployed, "{status}");
        }
        for status in ["InProgress", "Stopping", "", "SomethingNew"] {
            assert_eq!(progress(status), Progress::Running, "{status}");
        }
    }

    const FULL: &str = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

    #[test]
    fn a_short_commit_id_matches_the_full_one() {
        assert!(revision_matches(FULL, [FULL]));
        assert!(revision_matches("1a2b3c4", [FULL]));
        assert!(revision_matches("1A2B3C4D", ["other", FULL]));
        assert!(!revision_matches("1a2b3c", [FULL]), "6 digits are too few");
        assert!(!revision_matches("1a2b3c5", [FULL]));
        assert!(!revision_matches("main", ["main-2"]));
        assert!(revision_matches("sha256:abc", ["sha256:abc"]));
        assert!(!revision_matches("sha256:ab", ["sha256:abc"]));
        assert!(!revision_matches(FULL, []));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_mins(15)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_hours(2)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["", "m", "1d", "-5s", "1.5m", "ten"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_duration("1d").unwrap_err(),
            "`1d` is not a duration such as `90s`, `15m` or `2h`"
        );
    }

    #[test]
    fn backoff_doubles_when_throttled_up_to_the_ceiling_and_resets() {
        let mut backoff = Backoff::new(Duration::from_secs(5), Duration::from_secs(30));
        assert_eq!(backoff.answered(), Duration::from_secs(5));
        assert_eq!(backoff.throttled(), Duration::from_secs(10));
        assert_eq!(backoff.throttled(), Duration::from_secs(20));
        assert_eq!(backoff.throttled(), Duration::from_secs(30));
        assert_eq!(backoff.throttled(), Duration::from_secs(30));
        assert_eq!(backoff.answered(), Duration::from_secs(5));
    }

    #[test]
    fn jitter_stays_within_one_interval_and_resets_the_backoff() {
        let mut backoff = Backoff::new(Duration::from_secs(10), Duration::from_mins(2));
        backoff.throttled();
        for random in [0, 1, 1_999_999_999, 2_000_000_000, u64::MAX] {
            let pause = backoff.jittered(random);
            assert!(pause <= Duration::from_secs(10), "{pause:?}");
            assert!(pause > Duration::from_secs(8), "{pause:?}");
        }
        assert_eq!(backoff.throttled(), Duration::from_secs(20));
        let mut tiny = Backoff::new(Duration::from_nanos(3), Duration::from_nanos(3));
        assert_eq!(tiny.jittered(7), Duration::from_nanos(3));
    }
}
