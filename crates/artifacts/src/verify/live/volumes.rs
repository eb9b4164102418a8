//! Amazon EFS volumes: each file system and access point a volume names exists, and the access
//! point is one of that file system's
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSVolumeConfiguration.html>).
//! That IAM authorization needs transit encryption is a rule of the task definition itself
//! (`efs-transit-encryption`, `docs/ecs-rules.md`).

use serde_json::Value;

use super::{AccountFinding, Fact, unchecked};
use crate::Finding;

/// An EFS volume of the task definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeQuestion {
    /// The volume's `name`.
    pub volume: String,
    /// `efsVolumeConfiguration.fileSystemId`.
    pub file_system: String,
    /// `efsVolumeConfiguration.authorizationConfig.accessPointId`.
    pub access_point: Option<String>,
    /// The task's Region: a task mounts file systems of its own Region.
    pub region: String,
}

impl VolumeQuestion {
    /// The file system's ARN, in an account not known here.
    #[must_use]
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:elasticfilesystem:{}:*:file-system/{}",
            self.region, self.file_system
        )
    }
}

/// What `DescribeAccessPoints` said of an access point.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessPoint {
    /// Its ARN.
    pub arn: String,
    /// The file system it belongs to.
    pub file_system: String,
}

/// The answers about one volume: the file system (its ARN), and the access point when the
/// volume names one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeAnswers {
    /// The question.
    pub question: VolumeQuestion,
    /// The file system.
    pub file_system: Fact<String>,
    /// The access point, when named.
    pub access_point: Option<Fact<AccessPoint>>,
}

/// The EFS volumes of `document`, in `region`; volumes without a file system id are the
/// offline check's (`missing-key`).
#[must_use]
pub fn questions(document: &Value, region: &str) -> Vec<VolumeQuestion> {
    let volumes = document
        .get("volumes")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    volumes
        .iter()
        .filter_map(|volume| {
            let efs = volume.get("efsVolumeConfiguration")?;
            let text = |pointer: &str| {
                efs.pointer(pointer)
                    .and_then(Value::as_str)
                    .filter(|value| !value.is_empty())
                    .map(str::to_owned)
            };
            Some(VolumeQuestion {
                volume: volume
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                file_system: text("/fileSystemId")?,
                access_point: text("/authorizationConfig/accessPointId"),
                region: region.to_owned(),
            })
        })
        .collect()
}

/// Findings: a file system or access point that does not exist, an access point of another
/// file system, a read that was refused.
#[must_use]
pub fn judge(answers: &[VolumeAnswers]) -> Vec<AccountFinding> {
    let mut findings = Vec::new();
    for answer in answers {
        let question = &answer.question;
        let volume = format!("volume `{}`", question.volume);
        let file_system = format!("EFS file system `{}`", question.file_system);
        match &answer.file_system {
            Fact::Found(_) => {}
            Fact::Missing => findings.push(AccountFinding {
                resource: question.arn(),
                finding: Finding::error(
                    "efs-file-system-missing",
                    format!("{file_system} of {volume} does not exist in `{}`: the task stops with `ResourceInitializationError`", question.region),
                )
                .help("create the file system in the task's Region, or correct `fileSystemId`"),
            }),
            Fact::Denied { action } => findings.push(AccountFinding {
                resource: question.arn(),
                finding: unchecked(&file_system, action),
            }),
        }
        let (Some(id), Some(fact)) = (&question.access_point, &answer.access_point) else {
            continue;
        };
        let shown = format!("EFS access point `{id}`");
        let (resource, finding) = match fact {
            Fact::Found(found) if found.file_system == question.file_system => continue,
            Fact::Found(found) => (
                found.arn.clone(),
                Finding::error(
                    "efs-access-point-file-system",
                    format!(
                        "{shown} of {volume} belongs to file system `{}`, not `{}`: the mount fails",
                        found.file_system, question.file_system
                    ),
                )
                .help("name the access point's own file system in `fileSystemId`, or an access point of this one"),
            ),
            Fact::Missing => (
                question.arn(),
                Finding::error(
                    "efs-access-point-missing",
                    format!("{shown} of {volume} does not exist: the mount fails"),
                )
                .help("create the access point on the file system, or correct `accessPointId`"),
            ),
            Fact::Denied { action } => (question.arn(), unchecked(&shown, action)),
        };
        findings.push(AccountFinding { resource, finding });
    }
    findings
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn asks_about_each_efs_volume() {
        let document = json!({"volumes": [
            {"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1",
                "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"}}},
            {"name": "scratch", "host": {}},
            {"name": "bare", "efsVolumeConfiguration": {}},
        ]});
        let asked = questions(&document, "eu-west-1");
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0].access_point.as_deref(), Some("fsap-1"));
        assert_eq!(
            asked[0].arn(),
            "arn:aws:elasticfilesystem:eu-west-1:*:file-system/fs-1"
        );
    }

    #[test]
    fn judges_missing_and_mismatched_file_systems_and_access_points() {
        let question = VolumeQuestion {
            volume: "data".to_owned(),
            file_system: "fs-1".to_owned(),
            access_point: Some("fsap-1".to_owned()),
            region: "eu-west-1".to_owned(),
        };
        let point = |file_system: &str| {
            Some(Fact::Found(AccessPoint {
                arn: "arn:aws:elasticfilesystem:eu-west-1:1:access-point/fsap-1".to_owned(),
                file_system: file_system.to_owned(),
            }))
        };
        let answers = |file_system, access_point| VolumeAnswers {
            question: question.clone(),
            file_system,
            access_point,
        };
        let found = Fact::Found("arn".to_owned());
        assert!(judge(&[answers(found.clone(), point("fs-1"))]).is_empty());
        let rules: Vec<_> = judge(&[
            answers(Fact::Missing, Some(Fact::Missing)),
            answers(found, point("fs-2")),
        ])
        .iter()
        .map(|f| f.finding.rule)
        .collect();
        assert_eq!(
            rules,
            [
                "efs-file-system-missing",
                "efs-access-point-missing",
                "efs-access-point-file-system"
            ]
        );
    }
}
