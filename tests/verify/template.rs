//! `ecs-verify pipeline-template`: CloudFormation pipelines held against the buildspecs their
//! CodeBuild actions run, and `ecs-verify --pipeline-template` reading a deploy action from one.
//!
//! The fixtures are a good dev pipeline (rolling ECS deploy) and a good prod pipeline
//! (Blue/Green), each with its buildspecs; each broken variant is the good one with one change,
//! made in the test that needs it so the change sits next to what it breaks.

use insta::assert_snapshot;

use crate::support::fixtures::{ECR, EXAMPLE_SHA, REPOSITORY};
use crate::support::harness::{Outcome, Test};
use crate::support::snapshot::whole_lines;

const DEV: &str = include_str!("../fixtures/pipeline-templates/dev.yaml");
const PROD: &str = include_str!("../fixtures/pipeline-templates/prod.yaml");
const DEV_BUILD: &str = include_str!("../fixtures/pipeline-templates/buildspecs/dev.yml");
const PROMOTE: &str = include_str!("../fixtures/pipeline-templates/buildspecs/promote.yml");
const RENDER: &str = include_str!("../fixtures/pipeline-templates/buildspecs/prod-artifacts.yml");
const SCALING: &str = include_str!("../fixtures/pipeline-templates/buildspecs/scaling.yml");

/// The good fixtures as a repository root; `changes` are `(file, from, to)`, each of which
/// must apply.
fn repository(changes: &[(&str, &str, &str)]) -> Test {
    let mut root = Test::new();
    for (name, text) in [
        ("dev.yaml", DEV),
        ("prod.yaml", PROD),
        ("buildspecs/dev.yml", DEV_BUILD),
        ("buildspecs/promote.yml", PROMOTE),
        ("buildspecs/prod-artifacts.yml", RENDER),
        ("buildspecs/scaling.yml", SCALING),
    ] {
        let text = changes.iter().filter(|(file, _, _)| *file == name).fold(
            text.to_owned(),
            |text, (_, from, to)| {
                assert!(text.contains(from), "{from:?} is not in {name}");
                text.replacen(from, to, 1)
            },
        );
        root = root.file(name, text);
    }
    root
}

fn check(changes: &[(&str, &str, &str)], template: &str) -> Outcome {
    repository(changes)
        .args(["pipeline-template", template])
        .run("ecs-verify")
}

#[test]
fn the_model_pipelines_pass() {
    repository(&[])
        .args(["pipeline-template", "dev.yaml", "prod.yaml"])
        .run("ecs-verify")
        .success()
        .stderr_is("checked 2 files: 0 errors, 0 warnings\n");
}

#[test]
fn output_artifacts_must_be_the_secondary_artifacts() {
    check(&[("buildspecs/dev.yml", "    ImageArtifact:", "    ImageArtifacts:")], "dev.yaml")
        .code(1)
        .stderr_has("error[output-artifacts]: output artifact `ImageArtifact` of Build/Build is not a `secondary-artifacts` identifier in buildspecs/dev.yml; it has `BuildArtifact`, `ImageArtifacts` (dev.yaml: Resources.Pipeline.Stages[Build].Actions[Build].OutputArtifacts, buildspecs/dev.yml:24)\nhelp: did you mean `ImageArtifacts`?")
        .stderr_has("error[output-artifacts]: `secondary-artifacts.ImageArtifacts` in buildspecs/dev.yml is not an output artifact of Build/Build");
    // One output artifact: a lone secondary-artifacts block is never uploaded.
    check(
        &[
            ("prod.yaml", "                - Name: DeployArtifact\n                - Name: ImageArtifact\n        - Name: Approve", "                - Name: DeployArtifact\n        - Name: Approve"),
            ("buildspecs/prod-artifacts.yml", "  files:\n    - out/**/*\n", ""),
        ],
        "prod.yaml",
    )
    .code(1)
    .stderr_has("error[output-artifacts]: Build/Render has one output artifact, `DeployArtifact`, which CodeBuild fills from `artifacts.files`; buildspecs/prod-artifacts.yml has only `secondary-artifacts` (`DeployArtifact`, `ImageArtifact`)")
    .stderr_has("help: move the block's `files` up to `artifacts.files`");
}

#[test]
fn what_a_deploy_action_reads_must_be_in_its_artifact() {
    check(&[("dev.yaml", "Default: imagedefinitions.json", "Default: images.json")], "dev.yaml")
        .code(1)
        .stderr_has("error[artifact-file]: Deploy/Deploy reads `images.json` from `BuildArtifact`, and buildspecs/dev.yml does not put it there: `secondary-artifacts.BuildArtifact` has files `imagedefinitions.json` under base-directory `out/ecs` (dev.yaml: Resources.Pipeline.Stages[Deploy].Actions[Deploy].Configuration.FileName, buildspecs/dev.yml:30)")
        .stderr_has("help: the action fails with `Did not find the image definition file images.json in the input artifacts ZIP file`: list `images.json` under `secondary-artifacts.BuildArtifact.files`");
    check(
        &[(
            "buildspecs/prod-artifacts.yml",
            "        - appspec.yaml",
            "        - appspec.yml",
        )],
        "prod.yaml",
    )
    .code(1)
    .stderr_has("error[artifact-file]: Deploy/BlueGreen reads `appspec.yaml` from `DeployArtifact`")
    .stderr_has("`Exception while trying to read the AppSpec artifact file`");
    check(&[("prod.yaml", "Image1ArtifactName: ImageArtifact", "Image1ArtifactName: ImageSource"), ("prod.yaml", "                - Name: ImageArtifact\n            - Name: ResumeScaling", "                - Name: ImageArtifact\n                - Name: ImageSource\n            - Name: ResumeScaling")], "prod.yaml")
        .success()
        .stderr_has("checked 1 file: 0 errors, 0 warnings");
}

#[test]
fn a_buildspec_file_is_read_from_the_primary_source() {
    // The image artifact alone as input: CodeBuild looks for the buildspec in it.
    check(
        &[(
            "dev.yaml",
            "                PrimarySource: SourceArtifact\n                EnvironmentVariables: '[{\"name\":\"IMAGE_URI\"",
            "                EnvironmentVariables: '[{\"name\":\"IMAGE_URI\"",
        ), ("dev.yaml", "                - Name: SourceArtifact\n                - Name: ImageArtifact\n", "                - Name: ImageArtifact\n")],
        "dev.yaml",
    )
    .code(1)
    .stderr_has("error[artifact-file]: Promote/Promote runs buildspec `buildspecs/promote.yml` from `ImageArtifact`, and buildspecs/dev.yml does not put it there: `secondary-artifacts.ImageArtifact` has files `out/image/imageDetail.json` with discard-paths (dev.yaml: Resources.Pipeline.Stages[Promote].Actions[Promote].InputArtifacts, buildspecs/dev.yml:33)")
    .stderr_has("help: the build stops with `YAML_FILE_ERROR` before any command runs: make the source artifact that holds `buildspecs/promote.yml` an input of the action and its `PrimarySource`")
    .stderr_has("error[source-directory]: buildspecs/promote.yml reads `CODEBUILD_SRC_DIR_ImageArtifact`, but `ImageArtifact` is the primary source of Promote/Promote, which CodeBuild unpacks at `CODEBUILD_SRC_DIR`");
}

#[test]
fn image_settings_pair_up_in_order_and_name_a_placeholder_the_build_writes() {
    check(&[("prod.yaml", "Image1ArtifactName", "Image2ArtifactName"), ("prod.yaml", "Image1ContainerName", "Image2ContainerName")], "prod.yaml")
        .code(1)
        .stderr_has("error[action-configuration]: Image2 is set without Image1: the images are numbered from Image1 with no gaps (prod.yaml: Resources.Pipeline.Stages[Deploy].Actions[BlueGreen].Configuration.Image2ArtifactName)\nhelp: rename Image2ArtifactName and Image2ContainerName to Image1");
    check(
        &[(
            "prod.yaml",
            "                Image1ContainerName: IMAGE1_NAME\n",
            "",
        )],
        "prod.yaml",
    )
    .code(1)
    .stderr_has(
        "error[action-configuration]: Image1ArtifactName and Image1ContainerName go together",
    );
    check(&[("prod.yaml", "Image1ArtifactName: ImageArtifact", "Image1ArtifactName: ImageSource")], "prod.yaml")
        .code(1)
        .stderr_has("error[artifact-wiring]: Image1ArtifactName `ImageSource` is not an input artifact of the action (prod.yaml: Resources.Pipeline.Stages[Deploy].Actions[BlueGreen].Configuration.Image1ArtifactName)");
    check(&[("buildspecs/prod-artifacts.yml", " --placeholder \"$CONTAINER_NAME\"", "")], "prod.yaml")
        .success()
        .stderr_has("warning[image-placeholder]: Image1ContainerName `IMAGE1_NAME` is not in buildspecs/prod-artifacts.yml, which writes the task definition into `DeployArtifact`")
        .stderr_has("help: render it with `ecs-taskdef render TEMPLATE --placeholder CONTAINER`");
}

#[test]
fn action_configuration_keys_are_checked_for_every_provider() {
    check(&[("prod.yaml", "AppSpecTemplatePath: appspec.yaml", "AppSpecTemplatePth: appspec.yaml")], "prod.yaml")
        .code(1)
        .stderr_has("error[action-configuration]: `AppSpecTemplatePth` is not a configuration key of the CodeDeployToECS action, which ignores it (prod.yaml: Resources.Pipeline.Stages[Deploy].Actions[BlueGreen].Configuration.AppSpecTemplatePth)\nhelp: did you mean `AppSpecTemplatePath`?");
    check(&[("dev.yaml", "ProjectName: web-service-promote", "Project: web-service-promote")], "dev.yaml")
        .code(1)
        .stderr_has("error[action-configuration]: the CodeBuild action needs `ProjectName` (dev.yaml: Resources.Pipeline.Stages[Promote].Actions[Promote].Configuration)");
}

#[test]
fn the_ecr_source_tracks_an_explicit_release_tag() {
    check(&[("prod.yaml", "                ImageTag: !Ref PromotionTag\n", "")], "prod.yaml")
        .code(1)
        .stderr_has("error[ecr-source-tracks-latest]: the ECR source action has no `ImageTag`, so it tracks `latest` (prod.yaml: Resources.Pipeline.Stages[Source].Actions[Image].Configuration)\nhelp: set `ImageTag`");
    check(
        &[("prod.yaml", "Default: release", "Default: latest")],
        "prod.yaml",
    )
    .code(1)
    .stderr_has("the ECR source action tracks the mutable tag `latest`");
    check(&[("prod.yaml", "ImageTagMutability: IMMUTABLE_WITH_EXCLUSION", "ImageTagMutability: MUTABLE")], "prod.yaml")
        .code(1)
        .stderr_has("error[ecr-source-mutable-tag]: Source/Image tracks `release` in repository `Repository`, whose tags are mutable (MUTABLE)")
        .stderr_has("help: set `ImageTagMutability: IMMUTABLE_WITH_EXCLUSION` on `Repository` with an exclusion filter for `release` alone");
}

#[test]
fn codebuild_sources_are_the_action_inputs() {
    check(&[("prod.yaml", "                PrimarySource: ConfigSource\n", "")], "prod.yaml")
        .code(1)
        .stderr_has("error[primary-source]: Build/Render has 2 input artifacts (`ConfigSource`, `ImageSource`) and no `PrimarySource`")
        .stderr_has("help: set `PrimarySource` to the input that holds the buildspec");
    check(&[("prod.yaml", "PrimarySource: ConfigSource", "PrimarySource: Config")], "prod.yaml")
        .code(1)
        .stderr_has("error[primary-source]: `PrimarySource` `Config` is not an input artifact of Build/Render; its inputs are `ConfigSource`, `ImageSource`");
    check(&[("buildspecs/prod-artifacts.yml", "$CODEBUILD_SRC_DIR_ImageSource", "$CODEBUILD_SRC_DIR_ImageSourc")], "prod.yaml")
        .code(1)
        .stderr_has("error[source-directory]: buildspecs/prod-artifacts.yml reads `CODEBUILD_SRC_DIR_ImageSourc`, and `ImageSourc` is not a secondary input artifact of Build/Render; they are `ImageSource` (prod.yaml: Resources.Pipeline.Stages[Build].Actions[Render].InputArtifacts, buildspecs/prod-artifacts.yml:11)\nhelp: did you mean `CODEBUILD_SRC_DIR_ImageSource`?");
}

#[test]
fn variables_come_from_earlier_actions_that_export_them() {
    check(&[("prod.yaml", "#{RenderVariables.IMAGE_URI}", "#{RenderVariable.IMAGE_URI}")], "prod.yaml")
        .code(1)
        .stderr_has("error[variable-namespace]: `#{RenderVariable.IMAGE_URI}` in Approve/Approve names namespace `RenderVariable`, which no action of the pipeline declares")
        .stderr_has("help: did you mean `RenderVariables`?");
    check(&[("dev.yaml", "#{BuildVariables.IMAGE_URI}", "#{BuildVariables.IMAGE_URL}")], "dev.yaml")
        .code(1)
        .stderr_has("error[exported-variable]: `#{BuildVariables.IMAGE_URL}` in Promote/Promote reads `IMAGE_URL` from Build/Build, and buildspecs/dev.yml does not export it; `env.exported-variables` has `IMAGE_TAG`, `IMAGE_URI`, `IMAGE_DIGEST` (dev.yaml: Resources.Pipeline.Stages[Promote].Actions[Promote].Configuration.EnvironmentVariables, buildspecs/dev.yml:4)\nhelp: did you mean `IMAGE_URI`?");
    check(
        &[(
            "prod.yaml",
            "#{ConfigVariables.CommitId}",
            "#{ConfigVariables.CommitID}",
        )],
        "prod.yaml",
    )
    .code(1)
    .stderr_has(
        "reads `CommitID` from Source/Config, which outputs `AuthorDate`, `BranchName`, `CommitId`",
    );
}

#[test]
fn projects_and_buildspecs_it_cannot_read_are_warnings() {
    check(&[("dev.yaml", "ProjectName: web-service-promote", "ProjectName: shared-promote")], "dev.yaml")
        .success()
        .stderr_has("warning[codebuild-project]: project `shared-promote` is not defined in this template, so its buildspec is not checked");
    check(&[("buildspecs/promote.yml", "version: 0.2", "version: 0.1")], "dev.yaml")
        .code(1)
        .stderr_has("error[buildspec-version]: buildspecs/promote.yml has `version: 0.1` (dev.yaml: Resources.Pipeline.Stages[Promote].Actions[Promote].Configuration.ProjectName, buildspecs/promote.yml:1)");
}

#[test]
fn unreadable_inputs_exit_2_naming_the_file_and_the_fix() {
    // Cut inside a flow mapping: `ActionTypeId: {Category: Build, Owner: AWS, `.
    let truncated = &PROD[..PROD.find("Provider: CodeBuild").unwrap()];
    repository(&[])
        .file("truncated.yaml", truncated)
        .args(["pipeline-template", "truncated.yaml"])
        .run("ecs-verify")
        .code(2)
        .stderr_has("error: the file is not valid YAML")
        .stderr_has("(truncated.yaml: line ")
        .stderr_has("help: fix the YAML (or JSON) syntax");
    repository(&[])
        .file("cut.yaml", &DEV[..DEV.find("Default: develop").unwrap() + 12])
        .args(["pipeline-template", "cut.yaml"])
        .run("ecs-verify")
        .code(2)
        .stderr_is("error: this is not a CloudFormation template: it has no `Resources` (cut.yaml)\nhelp: give the template that defines the AWS::CodePipeline::Pipeline\n");
    check(&[("prod.yaml", "      Stages:\n        - Name: Source", "      Stages: Source\n      Unused:\n        - Name: Source")], "prod.yaml")
        .code(2)
        .stderr_has("error: `Resources.Pipeline.Properties.Stages` is a string, where CloudFormation takes a list of stages (prod.yaml)");
    check(&[("buildspecs/prod-artifacts.yml", "      files:\n        - taskdef.json\n        - appspec.yaml", "      files: {taskdef.json: yes}")], "prod.yaml")
        .code(2)
        .stderr_has("error: `artifacts.secondary-artifacts.DeployArtifact.files` is an object, where CodeBuild takes a list of paths (buildspecs/prod-artifacts.yml: line 23, artifacts.secondary-artifacts.DeployArtifact.files)");
    check(
        &[("buildspecs/scaling.yml", "phases:", "phases: [")],
        "prod.yaml",
    )
    .code(2)
    .stderr_has("error: the file is not valid YAML")
    .stderr_has("(buildspecs/scaling.yml: line");
    check(&[("prod.yaml", "BuildSpec: buildspecs/scaling.yml", "BuildSpec: buildspecs/scale.yml")], "prod.yaml")
        .code(2)
        .stderr_is("error: cannot read buildspec `buildspecs/scale.yml`: no such file (prod.yaml: Resources.ScalingProject.Properties.Source.BuildSpec)\nhelp: BuildSpec paths start at the primary source: run from the repository root, or give --source-root DIR\n");
    Test::new()
        .file(
            "bucket.yaml",
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n",
        )
        .args(["pipeline-template", "bucket.yaml"])
        .run("ecs-verify")
        .code(2)
        .stderr_has(
            "error: the template has no AWS::CodePipeline::Pipeline resource (bucket.yaml)",
        );
    Test::new()
        .args(["pipeline-template", "missing.yaml"])
        .run("ecs-verify")
        .code(2)
        .stderr_has("error: cannot read `missing.yaml`: no such file");
}

#[test]
fn buildspecs_are_read_from_the_source_root_and_json_templates_work() {
    let mut template: serde_json::Value = serde_json::json!({"Resources": {
        "Project": {"Type": "AWS::CodeBuild::Project", "Properties": {"Source": {"Type": "CODEPIPELINE", "BuildSpec": "buildspecs/dev.yml"}}},
        "Pipeline": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {"Stages": [
            {"Name": "Source", "Actions": [{"Name": "Source", "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": "S3", "Version": "1"},
                "Configuration": {"S3Bucket": "b", "S3ObjectKey": "k"}, "OutputArtifacts": [{"Name": "SourceArtifact"}]}]},
            {"Name": "Build", "Actions": [{"Name": "Build", "ActionTypeId": {"Category": "Build", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1"},
                "Configuration": {"ProjectName": {"Ref": "Project"}}, "InputArtifacts": [{"Name": "SourceArtifact"}],
                "OutputArtifacts": [{"Name": "BuildArtifact"}, {"Name": "ImageArtifact"}]}]}]}}}});
    Test::new()
        .file("app/buildspecs/dev.yml", DEV_BUILD)
        .file("pipeline.json", template.to_string())
        .args(["pipeline-template", "--source-root", "app", "pipeline.json"])
        .run("ecs-verify")
        .success();
    template["Resources"]["Pipeline"]["Properties"]["Stages"][1]["Actions"][0]["OutputArtifacts"]
        [1]["Name"] = "Image".into();
    Test::new()
        .file("app/buildspecs/dev.yml", DEV_BUILD)
        .file("pipeline.json", template.to_string())
        .args(["pipeline-template", "--source-root", "app", "pipeline.json"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("error[output-artifacts]: output artifact `Image` of Build/Build is not a `secondary-artifacts` identifier in buildspecs/dev.yml");
}

#[test]
fn every_output_format() {
    let broken = [(
        "prod.yaml",
        "PrimarySource: ConfigSource",
        "PrimarySource: Config",
    )];
    let json = repository(&broken)
        .args([
            "pipeline-template",
            "--format",
            "json",
            "prod.yaml",
            "dev.yaml",
        ])
        .run("ecs-verify")
        .code(1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    assert_eq!(report["files"][0]["path"], "prod.yaml");
    assert_eq!(report["files"][0]["kind"], "pipeline-template");
    assert_eq!(report["files"][0]["findings"][0]["rule"], "primary-source");
    assert_eq!(
        report["files"][0]["findings"][0]["location"],
        "Resources.Pipeline.Stages[Build].Actions[Render].Configuration.PrimarySource"
    );
    assert_eq!(report["files"][1]["findings"], serde_json::json!([]));
    let sarif = repository(&broken)
        .args(["pipeline-template", "--format", "sarif", "prod.yaml"])
        .run("ecs-verify")
        .code(1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "primary-source");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "prod.yaml"
    );
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("help: name the input artifact that holds the buildspec")
    );
    let junit = repository(&broken)
        .args(["pipeline-template", "--format", "junit", "prod.yaml"])
        .run("ecs-verify")
        .code(1);
    assert_snapshot!("pipeline-template-junit", whole_lines(&junit.stdout));
}

const TASKDEF: &str = r#"{"family": "web", "executionRoleArn": "web-execution", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
    "containerDefinitions": [{"name": "web", "image": "<IMAGE1_NAME>", "portMappings": [{"containerPort": 8080}]}]}"#;
const APPSPEC: &str = "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: <TASK_DEFINITION>\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 8080\n";

#[test]
fn the_deploy_action_is_read_from_the_template() {
    let artifacts = |test: Test| {
        test.file("deploy/taskdef.json", TASKDEF)
            .file("deploy/appspec.yaml", APPSPEC)
            .file(
                "image/imageDetail.json",
                format!(r#"{{"ImageURI": "{ECR}/{REPOSITORY}@{EXAMPLE_SHA}"}}"#),
            )
    };
    artifacts(repository(&[]))
        .args([
            "--pipeline-template",
            "prod.yaml",
            "DeployArtifact=deploy",
            "ImageArtifact=image",
        ])
        .run("ecs-verify")
        .success()
        .stderr_has("checked 2 files: 0 errors, 0 warnings");
    artifacts(repository(&[("prod.yaml", "Image1ContainerName: IMAGE1_NAME", "Image1ContainerName: web")]))
        .args(["--pipeline-template", "prod.yaml", "--pipeline-resource", "Pipeline", "--action", "Deploy/BlueGreen", "DeployArtifact=deploy", "ImageArtifact=image"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("Image1ContainerName `web` is not a placeholder in the task definition; it has `<IMAGE1_NAME>`");
    let two = PROD.replace("  Pipeline:\n", "  Other:\n    Type: AWS::CodePipeline::Pipeline\n    Properties: {Stages: []}\n  Pipeline:\n");
    artifacts(repository(&[]))
        .file("two.yaml", two)
        .args(["--pipeline-template", "two.yaml", "DeployArtifact=deploy"])
        .run("ecs-verify")
        .code(2)
        .stderr_is("error: the template has 2 pipelines: `Other`, `Pipeline` (two.yaml)\nhelp: name one with --pipeline-resource LOGICAL_ID\n");
    Test::new()
        .args(["--pipeline-resource", "Pipeline", "--for", "ecs", "build"])
        .run("ecs-verify")
        .code(2)
        .stderr_has("--pipeline-template <FILE>");
}
