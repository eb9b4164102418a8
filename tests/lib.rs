//! The integration tests: the built programs, driven as a CodeBuild job would drive them.

mod appspec;
mod appspec_check;
mod appspec_flags;
mod bundle;
mod bundle_aws;
mod codebuild;
mod codebuild_runner;
mod codepipeline_endpoint;
mod harness;
mod imagedefs;
mod imagedefs_check;
mod imagedefs_detail;
mod local_aws;
mod model_pipelines;
mod model_pipelines_failures;
mod model_pipelines_prod;
mod pipeline;
mod pipeline_moto;
mod scaling;
mod tagcheck;
mod tagcheck_ecr;
mod taskdef;
mod taskdef_aws;
mod taskdef_check;
mod verify;
mod verify_template;
