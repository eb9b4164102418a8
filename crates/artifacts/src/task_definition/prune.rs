//! Which revisions of a family `ecs-taskdef prune` deregisters: never one of the newest it was
//! told to keep, never one a service deployment, a task set or a running task uses. Peers
//! deregistered the revision a service ran (fabfuel/ecs-deploy issue 185, kayac/ecspresso
//! pull request 673); here use is checked on each revision, not inferred from its age.

/// What becomes of one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The revision's ARN.
    pub arn: String,
    /// `None`: deregister it; `Some(why)`: keep it, and why.
    pub kept_because: Option<String>,
}

/// The decision for each of `active` (ARNs, any order), newest revision first: the `keep`
/// newest are kept, and of the older ones every one that `used` (`(ARN, who)`) names.
#[must_use]
pub fn plan(active: &[String], keep: usize, used: &[(String, String)]) -> Vec<Decision> {
    let mut newest_first: Vec<&String> = active.iter().collect();
    newest_first.sort_by_key(|arn| std::cmp::Reverse(revision(arn)));
    newest_first
        .into_iter()
        .enumerate()
        .map(|(index, arn)| {
            let users: Vec<&str> = used
                .iter()
                .filter(|(used_arn, _)| same_revision(used_arn, arn))
                .map(|(_, who)| who.as_str())
                .collect();
            let kept_because = if index < keep {
                Some(format!("one of the {keep} newest"))
            } else if users.is_empty() {
                None
            } else {
                let mut users = users;
                users.sort_unstable();
                users.dedup();
                Some(format!("used by {}", users.join(", ")))
            };
            Decision {
                arn: arn.clone(),
                kept_because,
            }
        })
        .collect()
}

/// The revision number at the end of an ARN or `family:revision`.
fn revision(arn: &str) -> u64 {
    arn.rsplit_once(':')
        .and_then(|(_, number)| number.parse().ok())
        .unwrap_or(0)
}

/// `family:revision` of a task-definition ARN (`…:task-definition/web:42`), or the text itself.
#[must_use]
pub fn short(arn: &str) -> &str {
    arn.rsplit_once(":task-definition/")
        .map_or(arn, |(_, name)| name)
}

/// Whether two references name the same revision: ECS answers with full ARNs, but a
/// deployment's may differ in partition or account format from the listing's, so the
/// `family:revision` part decides.
fn same_revision(one: &str, other: &str) -> bool {
    short(one) == short(other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(revision: u32) -> String {
        format!("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:{revision}")
    }

    fn deregistered(decisions: &[Decision]) -> Vec<&str> {
        decisions
            .iter()
            .filter(|decision| decision.kept_because.is_none())
            .map(|decision| short(&decision.arn))
            .collect()
    }

    #[test]
    fn keeps_the_newest_and_deregisters_the_rest() {
        let active: Vec<String> = [3, 10, 1, 2, 9].map(arn).to_vec();
        let decisions = plan(&active, 2, &[]);
        assert_eq!(short(&decisions[0].arn), "web:10", "newest first by number");
        assert_eq!(deregistered(&decisions), ["web:3", "web:2", "web:1"]);
        assert_eq!(
            decisions[1].kept_because.as_deref(),
            Some("one of the 2 newest")
        );
    }

    /// fabfuel/ecs-deploy 185, ecspresso PR 673: the revision a service runs (here an old one,
    /// after a rollback) is never deregistered, however old.
    #[test]
    fn never_deregisters_a_revision_in_use_however_old() {
        let active: Vec<String> = (1..=5).map(arn).collect();
        let used = [
            (arn(1), "a deployment of service prod/web".to_owned()),
            (arn(2), "a task in cluster prod".to_owned()),
            (arn(2), "a task in cluster prod".to_owned()),
            (
                "web:3".to_owned(),
                "a task set of service prod/web".to_owned(),
            ),
        ];
        let decisions = plan(&active, 0, &used);
        assert_eq!(deregistered(&decisions), ["web:5", "web:4"]);
        assert_eq!(
            decisions[3].kept_because.as_deref(),
            Some("used by a task in cluster prod")
        );
        assert_eq!(
            decisions[4].kept_because.as_deref(),
            Some("used by a deployment of service prod/web")
        );
    }
}
