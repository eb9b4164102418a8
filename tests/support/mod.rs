//! What the tests stand on, shared by the `offline` and `aws` test targets: running the built
//! programs, the shared input values, a CodeBuild emulator, a CodePipeline wire endpoint, an ECS and CodeDeploy wire endpoint, an ECR layer endpoint, a
//! fault-injecting proxy, the local AWS endpoint and the resources made on it, and snapshots.
//!
//! Each target uses only part of it: the `offline` tests never reach the local endpoint (moto)
//! and the `aws` tests take no snapshots. `tests/README.md` maps the folders.
#![allow(
    dead_code,
    reason = "each test target compiles the whole support tree and uses only its own part"
)]

pub(crate) mod codebuild;
pub(crate) mod codepipeline_endpoint;
pub(crate) mod denied_endpoint;
pub(crate) mod deploy_endpoint;
pub(crate) mod ecr_endpoint;
pub(crate) mod fault_proxy;
pub(crate) mod fixtures;
pub(crate) mod harness;
pub(crate) mod iam_endpoint;
pub(crate) mod local_aws;
pub(crate) mod relay;
pub(crate) mod resources;
pub(crate) mod signals;
pub(crate) mod snapshot;
pub(crate) mod stop_endpoint;
