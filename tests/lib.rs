//! The integration tests: the built programs, driven as a CodeBuild job would drive them.

mod appspec;
mod appspec_check;
mod appspec_flags;
mod harness;
mod imagedefs;
mod imagedefs_check;
mod imagedefs_detail;
mod local_aws;
mod taskdef;
mod taskdef_aws;
mod taskdef_check;
