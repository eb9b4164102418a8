//! Amazon ECR registry hosts.
//!
//! Sources: ECR user guide `Registries.md` (`<account>.dkr.ecr.<region>.amazonaws.com`),
//! `ecr-requests.html` (dual-stack `<account>.dkr-ecr.<region>.on.aws`), the FIPS endpoint list
//! (`dkr.ecr-fips`), and the partition DNS suffixes of the AWS SDK endpoint rules. The partition
//! suffix is checked against that list rather than assumed to be `amazonaws.com`, because
//! images in China, GovCloud, the ISO regions and the European Sovereign Cloud are all ECR.

/// Which kind of ECR registry a host is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EcrRegistryKind {
    /// A private registry `<account>.dkr.ecr.<region>.<suffix>` or one of its endpoint variants.
    Private {
        /// The FIPS endpoint (`dkr.ecr-fips`, `dkr-ecr-fips`).
        fips: bool,
        /// The dual-stack (IPv6) endpoint (`dkr-ecr.<region>.on.aws`).
        dual_stack: bool,
    },
    /// ECR Public, `public.ecr.aws/<alias>/<repository>`.
    Public,
}

/// The parts of an ECR image reference that the ECR API asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EcrRegistry<'a> {
    /// Private or public, and which endpoint.
    pub kind: EcrRegistryKind,
    /// The registry id (the 12-digit account id) of a private registry.
    pub registry_id: Option<&'a str>,
    /// The region of a private registry.
    pub region: Option<&'a str>,
    /// The registry alias of an ECR Public repository.
    pub public_alias: Option<&'a str>,
    /// The repository name as the ECR API names it (without the public alias).
    pub repository: &'a str,
}

/// DNS suffixes of the AWS partitions that run ECR with `dkr.ecr.<region>.<suffix>` hosts.
const PARTITION_SUFFIXES: &[&str] = &[
    "amazonaws.com",
    "amazonaws.com.cn",
    "amazonaws.eu",
    "c2s.ic.gov",
    "sc2s.sgov.gov",
    "cloud.adc-e.uk",
    "csp.hci.ic.gov",
];

/// DNS suffixes of the dual-stack endpoints (`dkr-ecr.<region>.<suffix>`).
const DUAL_STACK_SUFFIXES: &[&str] = &["on.aws", "on.amazonwebservices.com.cn"];

pub(super) fn recognise<'a>(host: &'a str, repository: &'a str) -> Option<EcrRegistry<'a>> {
    if host == "public.ecr.aws" {
        let (alias, name) = match repository.split_once('/') {
            Some((alias, name)) => (Some(alias), name),
            None => (None, repository),
        };
        return Some(EcrRegistry {
            kind: EcrRegistryKind::Public,
            registry_id: None,
            region: None,
            public_alias: alias,
            repository: name,
        });
    }
    let mut labels = host.splitn(3, '.');
    let account = labels.next()?;
    let service = labels.next()?;
    let rest = labels.next()?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (kind, region) = match service {
        "dkr" => {
            let (endpoint, rest) = rest.split_once('.')?;
            let fips = match endpoint {
                "ecr" => false,
                "ecr-fips" => true,
                _ => return None,
            };
            let (region, suffix) = rest.split_once('.')?;
            PARTITION_SUFFIXES.contains(&suffix).then_some(())?;
            (
                EcrRegistryKind::Private {
                    fips,
                    dual_stack: false,
                },
                region,
            )
        }
        "dkr-ecr" | "dkr-ecr-fips" => {
            let (region, suffix) = rest.split_once('.')?;
            DUAL_STACK_SUFFIXES.contains(&suffix).then_some(())?;
            let fips = service == "dkr-ecr-fips";
            (
                EcrRegistryKind::Private {
                    fips,
                    dual_stack: true,
                },
                region,
            )
        }
        _ => return None,
    };
    is_region(region).then_some(EcrRegistry {
        kind,
        registry_id: Some(account),
        region: Some(region),
        public_alias: None,
        repository,
    })
}

/// Region names such as `us-east-1`, `us-gov-west-1`, `eusc-de-east-1`.
fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
}
