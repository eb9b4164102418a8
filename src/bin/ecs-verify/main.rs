//! `ecs-verify`: an artifact set checked the way CodePipeline's ECS deploy actions will read
//! it, before it ships.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod config;
mod inputs;
mod live;
mod service;
mod template;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use deploykit_cli::aws::AwsArgs;
use deploykit_cli::report::{Format, ReportFile};
use deploykit_cli::{CliError, Exit};

use crate::config::Config;

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

  # or from the CloudFormation template that defines the pipeline:
  ecs-verify --pipeline-template pipeline-templates/cloudformation/prod.yaml \\
      DeployArtifact=out/deploy ImageArtifact=out/image

  # the target service's deployment strategy too (blue/green bake time, hooks, listeners):
  aws ecs describe-services --cluster main --services web > service.json
  ecs-verify --for ecs BuildArtifact=out/deploy-ecs --service-json service.json --deployment-timeout 30

  # then ask the account whether the deploy can succeed (roles, log groups, secrets, images):
  ecs-verify --for ecs BuildArtifact=out/deploy-ecs --taskdef taskdef.json --live --region eu-west-1

  # Blue/Green: the deployment group, its target groups, listeners and service too:
  ecs-verify --for blue-green out/bluegreen out/image --live \\
      --codedeploy-app web --deployment-group web-prod

  # a JUnit report for a CodeBuild report group:
  ecs-verify --for blue-green out/bluegreen --report junit=reports/verify.xml

  # the pipeline template against the buildspecs it runs (no artifacts needed):
  ecs-verify pipeline-template pipeline-templates/cloudformation/*.yaml";

const TEMPLATE_EXAMPLES: &str = "\
Examples:
  # from the repository root, where the projects' BuildSpec paths start:
  ecs-verify pipeline-template pipeline-templates/cloudformation/dev.yaml

  # the buildspecs somewhere else; SARIF for GitHub code scanning:
  ecs-verify pipeline-template --source-root app --format sarif prod.yaml > verify.sarif";

/// Checks deployment artifacts as CodePipeline's ECS or Blue/Green (CodeDeployToECS) action
/// will read them: the right files at the right paths, every file valid, placeholders and
/// image artifacts paired, sizes within the action's limits.
#[derive(Debug, Parser)]
#[command(
    name = "ecs-verify",
    version,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// The input artifacts, as `NAME=PATH` (the pipeline's artifact name) or `PATH` (named after
    /// the folder or zip); each a folder or a zip.
    #[arg(value_name = "ARTIFACT", required = true)]
    artifacts: Vec<String>,

    /// Which deploy action reads them; with --pipeline-json, the pipeline says.
    #[arg(long = "for", value_enum, required_unless_present_any = ["pipeline_json", "pipeline", "pipeline_template"])]
    action: Option<ActionKind>,

    /// Read the action's provider, configuration and input artifacts from this pipeline
    /// (`aws codepipeline get-pipeline --name NAME`); its settings replace the flags below.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["pipeline", "pipeline_template"])]
    pipeline_json: Option<PathBuf>,

    /// The same, read from the CloudFormation template that defines the pipeline (YAML with
    /// short-form tags, or JSON).
    #[arg(long, value_name = "FILE", conflicts_with = "pipeline")]
    pipeline_template: Option<PathBuf>,

    /// With --pipeline-template: the pipeline's logical id, when the template has several.
    #[arg(long, value_name = "LOGICAL_ID", requires = "pipeline_template")]
    pipeline_resource: Option<String>,

    /// The same, read from CodePipeline (`GetPipeline`) for the pipeline of this name.
    #[arg(long, value_name = "NAME")]
    pipeline: Option<String>,

    /// With --pipeline, --pipeline-json or --pipeline-template: the deploy action, `ACTION` or
    /// `STAGE/ACTION`, when there are several.
    #[arg(long = "action", value_name = "NAME")]
    action_name: Option<String>,

    /// ECS action: the image definitions file name (`FileName`).
    #[arg(long, value_name = "NAME", default_value = "imagedefinitions.json")]
    file_name: String,

    /// ECS action: the service's task definition, to check every container name against it.
    #[arg(long, value_name = "FILE", conflicts_with = "from_ecs")]
    taskdef: Option<PathBuf>,

    /// ECS action: read the live service (`DescribeServices`): the task definition it runs
    /// (what the action copies) and its deployment strategy, checked as with --service-json.
    #[arg(long, value_name = "CLUSTER/SERVICE")]
    from_ecs: Option<String>,

    /// ECS action: the target service's deployment controller and strategy, from
    /// `aws ecs describe-services --cluster CLUSTER --services SERVICE` output: rolling,
    /// blue/green, linear or canary, lifecycle hooks, load balancer wiring, and whether its
    /// waits fit in the action's DeploymentTimeout.
    #[arg(long, value_name = "FILE", conflicts_with = "from_ecs")]
    service_json: Option<PathBuf>,

    /// ECS action: its `DeploymentTimeout` in minutes (1-60, default 60); the pipeline's
    /// setting when read with --pipeline-json or --pipeline-template.
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(1..=60))]
    deployment_timeout: Option<u32>,

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

    /// After the offline checks, ask the account (read-only) whether the deploy can succeed:
    /// the task and execution roles exist and trust ECS tasks (conditions included), IAM's
    /// policy simulation lets the execution role pull, read and log, each awslogs group, secret,
    /// SSM parameter and environment file exists (never read), each ECR image exists for the
    /// task's platform, with its tag mutability, scan findings and pinned digest, each EFS file
    /// system and access point exists; for Blue/Green, the deployment group, its target groups,
    /// listeners and service.
    /// Needs the task definition: the one the Blue/Green action registers, or the ECS action's
    /// --taskdef or --from-ecs.
    #[arg(long)]
    live: bool,

    /// With --live: how many critical scan findings (ECR image scanning) an image may have
    /// before the check fails.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "live")]
    max_critical: u32,
    /// Blue/Green, with --live: the CodeDeploy application (`ApplicationName`), to check its
    /// deployment group, target groups, listeners and service; the pipeline's setting with
    /// --pipeline, --pipeline-json or --pipeline-template.
    #[arg(long, value_name = "NAME", requires_all = ["deployment_group", "live"])]
    codedeploy_app: Option<String>,

    /// Blue/Green, with --live: the deployment group (`DeploymentGroupName`).
    #[arg(long, value_name = "NAME", requires = "codedeploy_app")]
    deployment_group: Option<String>,

    /// Accept `latest` and untagged images.
    #[arg(long)]
    allow_mutable_tag: bool,

    /// Report format: text on stderr, the others on stdout.
    #[arg(long, value_enum, default_value_t)]
    format: Format,

    /// Also write a report to a file, as FORMAT=PATH (`sarif=reports/checks.sarif`,
    /// `junit=reports/checks.xml`); repeatable, so one run writes every report it needs.
    #[arg(long = "report", value_name = "FORMAT=PATH")]
    report: Vec<ReportFile>,

    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a CloudFormation pipeline template against the buildspecs its CodeBuild actions
    /// run: output artifacts and `secondary-artifacts`, the files each deploy action reads,
    /// `Image<N>` settings, ECR source tags, `PrimarySource` and `CODEBUILD_SRC_DIR_<name>`,
    /// `#{Namespace.VARIABLE}` and `exported-variables`, and every action's configuration keys.
    #[command(after_help = TEMPLATE_EXAMPLES)]
    PipelineTemplate(TemplateArgs),
}

#[derive(Debug, Args)]
struct TemplateArgs {
    /// CloudFormation templates holding `AWS::CodePipeline::Pipeline` resources (YAML with
    /// short-form tags, or JSON).
    #[arg(value_name = "TEMPLATE", required = true)]
    templates: Vec<PathBuf>,

    /// The folder the projects' `Source.BuildSpec` paths start from: the pipeline's primary
    /// source, the repository root.
    #[arg(long, value_name = "DIR", default_value = ".")]
    source_root: PathBuf,

    /// Report format: text on stderr, the others on stdout.
    #[arg(long, value_enum, default_value_t)]
    format: Format,

    /// Also write a report to a file, as FORMAT=PATH (`sarif=reports/checks.sarif`,
    /// `junit=reports/checks.xml`); repeatable, so one run writes every report it needs.
    #[arg(long = "report", value_name = "FORMAT=PATH")]
    report: Vec<ReportFile>,
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
    deploykit_cli::run(|| run(&Config::try_from(cli)?))
}

fn run(config: &Config) -> Result<Exit, CliError> {
    match config {
        Config::Artifacts(artifacts) => verify::run(artifacts),
        Config::Template(templates) => template::run(templates),
    }
}
