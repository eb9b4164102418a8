//! The subnets and security groups of an `AppSpec`'s `NetworkConfiguration`: each exists in the
//! deploy's Region, and all of them are of one VPC. ECS refuses a task set whose subnets or
//! security groups are not ("All specified subnets and security groups must be from the same
//! VPC", <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_NetworkConfiguration.html>),
//! and CodeDeploy finds out only when it creates the replacement task set.

use crate::Finding;
use crate::appspec::AwsvpcConfiguration;

use super::{AccountFinding, Fact, unchecked};

/// The network of the replacement task set, as the `AppSpec` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkQuestion {
    /// `AwsvpcConfiguration.Subnets`.
    pub subnets: Vec<String>,
    /// `AwsvpcConfiguration.SecurityGroups`.
    pub security_groups: Vec<String>,
    /// The Region of the deploy: the task set's subnets are of its Region.
    pub region: String,
}

impl NetworkQuestion {
    /// The question of `network`, in `region`.
    #[must_use]
    pub fn new(network: &AwsvpcConfiguration, region: &str) -> Self {
        Self {
            subnets: network.subnets.clone(),
            security_groups: network.security_groups.clone(),
            region: region.to_owned(),
        }
    }

    /// A subnet's or security group's ARN, in an account not known here
    /// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html>).
    #[must_use]
    pub fn arn(&self, kind: &str, id: &str) -> String {
        format!("arn:aws:ec2:{}:*:{kind}/{id}", self.region)
    }
}

/// A subnet or security group EC2 described: its id and its VPC.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InVpc {
    /// `subnet-…` or `sg-…`.
    pub id: String,
    /// `vpc-…`.
    pub vpc: String,
}

/// What EC2 said of the subnets and of the security groups: the ones that exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkAnswers {
    /// The question.
    pub question: NetworkQuestion,
    /// The subnets of the question that exist (`DescribeSubnets`).
    pub subnets: Fact<Vec<InVpc>>,
    /// The security groups of the question that exist (`DescribeSecurityGroups`).
    pub security_groups: Fact<Vec<InVpc>>,
}

/// Findings: a subnet or security group that does not exist, more than one VPC, a read that
/// was refused.
#[must_use]
pub fn judge(answers: &NetworkAnswers) -> Vec<AccountFinding> {
    let question = &answers.question;
    let mut findings = Vec::new();
    let mut placed: Vec<&InVpc> = Vec::new();
    let kinds = [
        ("subnet", &question.subnets, &answers.subnets),
        (
            "security-group",
            &question.security_groups,
            &answers.security_groups,
        ),
    ];
    for (kind, asked, fact) in kinds {
        let what = kind.replace('-', " ");
        let found: &[InVpc] = match fact {
            Fact::Found(found) => found,
            Fact::Missing => &[],
            Fact::Denied { action } => {
                for id in asked {
                    findings.push(AccountFinding {
                        resource: question.arn(kind, id),
                        finding: unchecked(&format!("{what} `{id}`"), action),
                    });
                }
                continue;
            }
        };
        for id in asked {
            match found.iter().find(|item| item.id == *id) {
                Some(item) => placed.push(item),
                None => findings.push(AccountFinding {
                    resource: question.arn(kind, id),
                    finding: Finding::error(
                        if kind == "subnet" {
                            "subnet-missing"
                        } else {
                            "security-group-missing"
                        },
                        format!(
                            "{what} `{id}` of the AppSpec's NetworkConfiguration does not exist in \
                             `{}`: CodeDeploy cannot create the replacement task set",
                            question.region
                        ),
                    )
                    .help(format!(
                        "name a {what} of the service's VPC in `{}`, or create it",
                        question.region
                    )),
                }),
            }
        }
    }
    findings.extend(one_vpc(question, &placed));
    findings
}

/// `network-vpc`: every subnet and security group that exists is of the same VPC. One whose
/// answer names no VPC is left out: it is no evidence of a second VPC.
fn one_vpc(question: &NetworkQuestion, placed: &[&InVpc]) -> Option<AccountFinding> {
    let mut vpcs: Vec<(&str, Vec<&str>)> = Vec::new();
    for item in placed.iter().filter(|item| !item.vpc.is_empty()) {
        match vpcs.iter_mut().find(|(vpc, _)| *vpc == item.vpc) {
            Some((_, ids)) => ids.push(&item.id),
            None => vpcs.push((&item.vpc, vec![&item.id])),
        }
    }
    if vpcs.len() < 2 {
        return None;
    }
    let listed: Vec<String> = vpcs
        .iter()
        .map(|(vpc, ids)| format!("`{vpc}` ({})", ids.join(", ")))
        .collect();
    let first = vpcs[0].1[0];
    let kind = if first.starts_with("sg-") {
        "security-group"
    } else {
        "subnet"
    };
    Some(AccountFinding {
        resource: question.arn(kind, first),
        finding: Finding::error(
            "network-vpc",
            format!(
                "the AppSpec's subnets and security groups are in {} VPCs, {}: ECS needs them all \
                 from one VPC, and the replacement task set is not created",
                vpcs.len(),
                listed.join(", ")
            ),
        )
        .help("name subnets and security groups of the service's one VPC"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appspec::AssignPublicIp;

    fn question() -> NetworkQuestion {
        NetworkQuestion::new(
            &AwsvpcConfiguration {
                subnets: vec!["subnet-0a".to_owned(), "subnet-0b".to_owned()],
                security_groups: vec!["sg-0c".to_owned()],
                assign_public_ip: AssignPublicIp::Disabled,
            },
            "eu-west-1",
        )
    }

    fn placed(items: &[(&str, &str)]) -> Fact<Vec<InVpc>> {
        Fact::Found(
            items
                .iter()
                .map(|(id, vpc)| InVpc {
                    id: (*id).to_owned(),
                    vpc: (*vpc).to_owned(),
                })
                .collect(),
        )
    }

    fn rules(answers: &NetworkAnswers) -> Vec<(&'static str, String)> {
        judge(answers)
            .into_iter()
            .map(|found| (found.finding.rule, found.resource))
            .collect()
    }

    #[test]
    fn subnets_and_security_groups_of_one_vpc_pass() {
        let answers = NetworkAnswers {
            question: question(),
            subnets: placed(&[("subnet-0a", "vpc-1"), ("subnet-0b", "vpc-1")]),
            security_groups: placed(&[("sg-0c", "vpc-1")]),
        };
        assert!(judge(&answers).is_empty());
    }

    #[test]
    fn a_missing_subnet_or_security_group_is_named_at_its_arn() {
        let answers = NetworkAnswers {
            question: question(),
            subnets: placed(&[("subnet-0a", "vpc-1")]),
            security_groups: placed(&[]),
        };
        assert_eq!(
            rules(&answers),
            [
                (
                    "subnet-missing",
                    "arn:aws:ec2:eu-west-1:*:subnet/subnet-0b".to_owned()
                ),
                (
                    "security-group-missing",
                    "arn:aws:ec2:eu-west-1:*:security-group/sg-0c".to_owned()
                ),
            ]
        );
        let message = judge(&answers)[0].finding.message.clone();
        assert!(message.contains("`subnet-0b`") && message.contains("`eu-west-1`"));
    }

    #[test]
    fn subnets_and_security_groups_of_two_vpcs_fail() {
        let answers = NetworkAnswers {
            question: question(),
            subnets: placed(&[("subnet-0a", "vpc-1"), ("subnet-0b", "vpc-1")]),
            security_groups: placed(&[("sg-0c", "vpc-2")]),
        };
        let found = judge(&answers);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].finding.rule, "network-vpc");
        assert!(
            found[0]
                .finding
                .message
                .contains("`vpc-1` (subnet-0a, subnet-0b), `vpc-2` (sg-0c)"),
            "{}",
            found[0].finding.message
        );
    }

    #[test]
    fn an_answer_without_a_vpc_is_no_second_vpc() {
        let answers = NetworkAnswers {
            question: question(),
            subnets: placed(&[("subnet-0a", "vpc-1"), ("subnet-0b", "")]),
            security_groups: placed(&[("sg-0c", "")]),
        };
        assert!(judge(&answers).is_empty());
        let answers = NetworkAnswers {
            question: question(),
            subnets: placed(&[("subnet-0a", "vpc-1"), ("subnet-0b", "")]),
            security_groups: placed(&[("sg-0c", "vpc-2")]),
        };
        let found = judge(&answers);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .finding
                .message
                .contains("2 VPCs, `vpc-1` (subnet-0a), `vpc-2` (sg-0c)"),
            "{}",
            found[0].finding.message
        );
    }

    #[test]
    fn a_refused_read_is_a_finding_for_each_id() {
        let answers = NetworkAnswers {
            question: question(),
            subnets: Fact::Denied {
                action: "ec2:DescribeSubnets",
            },
            security_groups: placed(&[("sg-0c", "vpc-1")]),
        };
        let found = judge(&answers);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.finding.rule == "live-access-denied"
            && f.finding.message.contains("`ec2:DescribeSubnets`")));
    }
}
