//! `ecs-verify`: an artifact set checked the way CodePipeline's ECS deploy actions will read
//! it, before it ships.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod inputs;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use deploykit_cli::report::Format;

const EXAMPLES: &str = "\
Examples:
  # the ECS (rolling) action's one input artifact, a folder or a zip:
  ecs-verify --for ecs BuildArtifact=out/deploy-ecs.zip --taskdef taskdef.json

  # the Blue/Green action: the build artifact with taskdef.json and appspec.yaml, and the
  # image artifact with imageDetail.json; write what the action would register:
  ecs-verify --for blue-green BuildArtifact=out/bluegreen ImageArtifact=out/image \\
      --image ImageArtifact=IMAGE1_NAME --render-final out/registered-taskdef.json

  # the action's settings and input artifact names from the pipeline itself:
  aws codepipeline get-pipeline --name web-service-prod > pipeline.json
  ecs-verify --pipeline-json pipeline.json BuildArtifact=out/bluegreen ImageArtifact=out/image

  # a JUnit report for a CodeBuild report group:
  ecs-verify --for blue-green out/bluegreen --format junit > reports/verify.xml";

/// Checks deployment artifacts as CodePipeline's ECS or Blue/Green (CodeDeployToECS) action
/// will read them: the right files at the right paths, every file valid, placeholders and
/// image artifacts paired, sizes within the action's limits.
#[derive(Debug, Parser)]
#[command(name = "ecs-verify", version, after_help = EXAMPLES)]
struct Cli {
    /// The input artifacts, as `NAME=PATH` (the pipeline's artifact name) or `PATH` (named after
    /// the folder or zip); each a folder or a zip.
    #[arg(value_name = "ARTIFACT", required = true)]
    artifacts: Vec<String>,

    /// Which deploy action reads them; with --pipeline-json, the pipeline says.
    #[arg(long = "for", value_enum, required_unless_present_any = ["pipeline_json", "pipeline"])]
    action: Option<ActionKind>,

    /// Read the action's provider, configuration and input artifacts from this pipeline
    /// (`aws codepipeline get-pipeline --name NAME`); its settings replace the flags below.
    #[arg(long, value_name = "FILE", conflicts_with = "pipeline")]
    pipeline_json: Option<PathBuf>,

    /// The same, read from CodePipeline (`GetPipeline`) for the pipeline of this name.
    #[arg(long, value_name = "NAME")]
    pipeline: Option<String>,

    /// With --pipeline or --pipeline-json: the deploy action, `ACTION` or `STAGE/ACTION`, when
    /// there are several.
    #[arg(long = "action", value_name = "NAME")]
    action_name: Option<String>,

    /// ECS action: the image definitions file name (`FileName`).
    #[arg(long, value_name = "NAME", default_value = "imagedefinitions.json")]
    file_name: String,

    /// ECS action: the service's task definition, to check every container name against it.
    #[arg(long, value_name = "FILE", conflicts_with = "from_ecs")]
    taskdef: Option<PathBuf>,

    /// ECS action: read the task definition the live service runs (what the action copies).
    #[arg(long, value_name = "CLUSTER/SERVICE")]
    from_ecs: Option<String>,

    /// Blue/Green: the artifact holding the task definition (`TaskDefinitionTemplateArtifact`).
    #[arg(long, value_name = "ARTIFACT")]
    taskdef_artifact: Option<String>,

    /// Blue/Green: its path (`TaskDefinitionTemplatePath`).
    #[arg(long, value_name = "PATH", default_value = "taskdef.json")]
    taskdef_path: String,

    /// Blue/Green: the artifact holding the AppSpec (`AppSpecTemplateArtifact`).
    #[arg(long, value_name = "ARTIFACT")]
    appspec_artifact: Option<String>,

    /// Blue/Green: its path (`AppSpecTemplatePath`).
    #[arg(long, value_name = "PATH", default_value = "appspec.yaml")]
    appspec_path: String,

    /// Blue/Green: an image input, `Image<N>ArtifactName=Image<N>ContainerName`, in N order.
    /// Without any, a single placeholder is paired with the single artifact holding imageDetail.json.
    #[arg(long = "image", value_name = "ARTIFACT=PLACEHOLDER")]
    images: Vec<String>,

    /// Blue/Green: write the task definition the action would register, placeholders replaced.
    #[arg(long, value_name = "FILE")]
    render_final: Option<PathBuf>,

    /// Accept `latest` and untagged images.
    #[arg(long)]
    allow_mutable_tag: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// `--for`
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ActionKind {
    /// The ECS (rolling) action, provider `ECS`.
    Ecs,
    /// The Blue/Green action, provider `CodeDeployToECS`.
    BlueGreen,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| verify::run(&cli))
}
