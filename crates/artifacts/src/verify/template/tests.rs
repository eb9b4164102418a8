use std::collections::BTreeMap;

use serde_json::json;

use super::*;

/// A blue/green pipeline in short-form YAML: an ECR source, a build with two inputs and two
/// outputs, an approval reading its variables, and the deploy action.
const TEMPLATE: &str = "Parameters:
  Tag: {Type: String, Default: release}
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION
      ImageTagMutabilityExclusionFilters:
        - {ImageTagMutabilityExclusionFilterType: WILDCARD, ImageTagMutabilityExclusionFilterValue: rel*}
  Render:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: !Sub '${AWS::StackName}-render'
      Source: {Type: CODEPIPELINE, BuildSpec: render.yml}
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Stages:
        - Name: Source
          Actions:
            - Name: Image
              Namespace: ImageVariables
              ActionTypeId: {Category: Source, Owner: AWS, Provider: ECR, Version: '1'}
              Configuration: {RepositoryName: !Ref Repo, ImageTag: !Ref Tag}
              OutputArtifacts: [{Name: ImageSource}]
            - Name: Config
              ActionTypeId: {Category: Source, Owner: AWS, Provider: S3, Version: '1'}
              OutputArtifacts: [{Name: ConfigSource}]
        - Name: Build
          Actions:
            - Name: Render
              Namespace: RenderVariables
              ActionTypeId: {Category: Build, Owner: AWS, Provider: CodeBuild, Version: '1'}
              Configuration: {ProjectName: !Ref Render, PrimarySource: ConfigSource}
              InputArtifacts: [{Name: ConfigSource}, {Name: ImageSource}]
              OutputArtifacts: [{Name: DeployArtifact}, {Name: ImageArtifact}]
        - Name: Deploy
          Actions:
            - Name: Approve
              ActionTypeId: {Category: Approval, Owner: AWS, Provider: Manual, Version: '1'}
              Configuration: {CustomData: 'Deploy #{RenderVariables.IMAGE_URI} of #{ImageVariables.ImageTag}?'}
            - Name: BlueGreen
              RunOrder: 2
              ActionTypeId: {Category: Deploy, Owner: AWS, Provider: CodeDeployToECS, Version: '1'}
              Configuration:
                ApplicationName: web
                DeploymentGroupName: web
                TaskDefinitionTemplateArtifact: DeployArtifact
                AppSpecTemplateArtifact: DeployArtifact
                Image1ArtifactName: ImageArtifact
                Image1ContainerName: IMAGE1_NAME
              InputArtifacts: [{Name: DeployArtifact}, {Name: ImageArtifact}]
";

const BUILDSPEC: &str = "version: 0.2
env:
  exported-variables: [IMAGE_URI]
phases:
  build:
    commands:
      - IMAGE_URI=$(jq -r .ImageURI $CODEBUILD_SRC_DIR_ImageSource/imageDetail.json)
      - ecs-taskdef render taskdef.template.json --placeholder web -o out/taskdef.json
artifacts:
  files: ['**/*']
  secondary-artifacts:
    DeployArtifact:
      base-directory: out
      files: [taskdef.json, appspec.yaml]
    ImageArtifact:
      files: [out/image/*]
      discard-paths: yes
";

fn check_with(template: &str, buildspec: &str) -> Vec<Finding> {
    let template = Template::read(template.as_bytes()).expect("a template");
    let mut buildspecs = BTreeMap::new();
    for file in template.buildspec_files() {
        buildspecs.insert(
            file.path.to_owned(),
            BuildSpec::parse(buildspec.as_bytes()).unwrap(),
        );
    }
    template.check(&buildspecs)
}

/// `(rule, message)` of each finding of `template` changed by `changes` (each must apply).
fn found(
    template_changes: &[(&str, &str)],
    buildspec_changes: &[(&str, &str)],
) -> Vec<(&'static str, String)> {
    let apply = |text: &str, changes: &[(&str, &str)]| {
        changes.iter().fold(text.to_owned(), |text, (from, to)| {
            assert!(text.contains(from), "{from:?} is not in the fixture");
            text.replacen(from, to, 1)
        })
    };
    let template = apply(TEMPLATE, template_changes);
    let findings = check_with(&template, &apply(BUILDSPEC, buildspec_changes));
    for finding in &findings {
        assert_placed(&template, finding);
    }
    findings.into_iter().map(|f| (f.rule, f.message)).collect()
}

/// A report finds the finding's CloudFormation place in `template`: at the line of its last
/// step, or of the step before it when the last is what the template lacks.
pub(super) fn assert_placed(template: &str, finding: &Finding) {
    let place = finding.location.as_ref().and_then(Location::named_place);
    let place = place.expect("a place").split([',', ' ']).next().unwrap();
    let line = crate::locate::position_of_named(template, place).map_or(0, |p| p.line);
    let text = template
        .lines()
        .nth(line.wrapping_sub(1))
        .unwrap_or_default();
    let steps: Vec<&str> = place
        .split(['.', '[', ']'])
        .filter(|s| !s.is_empty())
        .collect();
    assert!(
        steps.iter().rev().take(2).any(|step| text.contains(step)),
        "`{place}` is placed at line {line}: {text:?}"
    );
}

#[test]
fn the_model_blue_green_pipeline_passes() {
    assert_eq!(found(&[], &[]), []);
    let template = Template::read(TEMPLATE.as_bytes()).unwrap();
    assert_eq!(template.pipeline_ids(), ["Pipeline"]);
    assert_eq!(
        template.buildspec_files(),
        [BuildSpecFile {
            path: "render.yml",
            project: "Render"
        }]
    );
}

#[test]
fn the_template_is_read_into_the_get_pipeline_shape() {
    let template = Template::read(TEMPLATE.as_bytes()).unwrap();
    let document = &template.pipelines[0].document;
    assert_eq!(
        document.pointer("/pipeline/stages/0/actions/0"),
        Some(
            &json!({"name": "Image", "namespace": "ImageVariables", "runOrder": 1,
            "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "ECR", "version": "1"},
            "configuration": {"RepositoryName": "Repo", "ImageTag": "release"},
            "inputArtifacts": [], "outputArtifacts": [{"name": "ImageSource"}]})
        )
    );
    // The long forms and a configuration written as a JSON string read the same.
    let long = r#"{"Parameters": {"Cluster": {"Type": "String", "Default": "main"}},
        "Resources": {"P": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {"Stages": [
        {"Name": "Deploy", "Actions": [{"Name": "Deploy", "RunOrder": "2",
          "ActionTypeId": {"Category": "Deploy", "Owner": "AWS", "Provider": "ECS", "Version": "1"},
          "Configuration": {"ClusterName": {"Ref": "Cluster"}, "ServiceName": {"Fn::Join": ["-", ["web", {"Ref": "Cluster"}]]},
            "FileName": {"Ref": "AWS::NoValue"}}}]}]}}}}"#;
    let template = Template::read(long.as_bytes()).unwrap();
    let action = template.pipelines[0]
        .document
        .pointer("/pipeline/stages/0/actions/0")
        .unwrap();
    assert_eq!(
        action["configuration"],
        json!({"ClusterName": "main", "ServiceName": "web-main"})
    );
    assert_eq!(action["runOrder"], 2);
    let found = template.deploy_action(None, Some("Deploy")).unwrap();
    assert_eq!(
        found.action,
        crate::verify::Action::Ecs {
            file_name: "imagedefinitions.json".into()
        }
    );
}

#[test]
fn unreadable_templates_say_what_and_where() {
    let error = |text: &str| Template::read(text.as_bytes()).unwrap_err();
    assert!(
        error("Resources: [")
            .message
            .starts_with("the file is not valid YAML")
    );
    assert_eq!(
        error("Outputs: {}").message,
        "this is not a CloudFormation template: it has no `Resources`"
    );
    assert_eq!(
        error("Resources: {B: {Type: AWS::S3::Bucket}}").message,
        "the template has no AWS::CodePipeline::Pipeline resource"
    );
    assert_eq!(
        error("Resources: {P: {Type: AWS::CodePipeline::Pipeline, Properties: {Stages: [{Name: S, Actions: {Name: A}}]}}}").message,
        "`Resources.P.Stages[S].Actions` is an object, where CloudFormation takes a list of actions"
    );
    assert_eq!(
        error(&TEMPLATE.replace("RunOrder: 2", "RunOrder: second")).message,
        "`Resources.Pipeline.Stages[Deploy].Actions[BlueGreen].RunOrder` is a string, where CloudFormation takes a whole number"
    );
}

#[test]
fn deploy_action_findings_are_located_in_the_template() {
    let template = Template::read(
        TEMPLATE
            .replace("AppSpecTemplateArtifact", "AppSpecArtifact")
            .as_bytes(),
    )
    .unwrap();
    let found = template.deploy_action(Some("Pipeline"), None).unwrap();
    let locations: Vec<_> = found
        .findings
        .iter()
        .map(|f| f.location_str().unwrap())
        .collect();
    assert_eq!(
        locations,
        [
            "Resources.Pipeline.Stages[Deploy].Actions[BlueGreen].Configuration.AppSpecArtifact",
            "Resources.Pipeline.Stages[Deploy].Actions[BlueGreen].Configuration"
        ]
    );
    assert_eq!(
        template
            .deploy_action(Some("Other"), None)
            .unwrap_err()
            .message,
        "the template has no pipeline `Other`; it has `Pipeline`"
    );
}

#[test]
fn output_artifacts_follow_the_buildspec_blocks() {
    let rename = found(&[], &[("    ImageArtifact:", "    ImageArtifacts:")]);
    assert_eq!(rename.len(), 2, "{rename:?}");
    assert_eq!(rename[0].0, OUTPUT_ARTIFACTS);
    assert!(rename[0].1.starts_with("output artifact `ImageArtifact` of Build/Render is not a `secondary-artifacts` identifier in render.yml"));
    assert!(rename[1].1.starts_with(
        "`secondary-artifacts.ImageArtifacts` in render.yml is not an output artifact"
    ));
    // One output artifact: the primary block is uploaded, and a lone secondary block is not.
    let one = [(
        "OutputArtifacts: [{Name: DeployArtifact}, {Name: ImageArtifact}]",
        "OutputArtifacts: [{Name: DeployArtifact}]",
    )];
    let lone = found(&one, &[("  files: ['**/*']\n", "")]);
    assert!(
        lone.iter().any(|(rule, m)| *rule == OUTPUT_ARTIFACTS
            && m.contains("has only `secondary-artifacts` (`DeployArtifact`, `ImageArtifact`)")),
        "{lone:?}"
    );
    assert!(
        found(&one, &[])
            .iter()
            .all(|(rule, _)| *rule != OUTPUT_ARTIFACTS)
    );
}

#[test]
fn what_deploy_actions_read_must_be_in_the_artifact() {
    let missing = found(
        &[],
        &[(
            "[taskdef.json, appspec.yaml]",
            "[taskdef.json, appspec.yml]",
        )],
    );
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].0, ARTIFACT_FILE);
    assert!(missing[0].1.contains(
        "reads `appspec.yaml` from `DeployArtifact`, and render.yml does not put it there"
    ));
    let from_ecr = found(
        &[("PrimarySource: ConfigSource", "PrimarySource: ImageSource")],
        &[(
            "$CODEBUILD_SRC_DIR_ImageSource",
            "$CODEBUILD_SRC_DIR_ConfigSource",
        )],
    );
    assert!(from_ecr.iter().any(|(rule, m)| *rule == ARTIFACT_FILE && m == "Build/Render runs buildspec `render.yml` from `ImageSource`, the output of the ECR source action Source/Image, which holds only imageDetail.json"), "{from_ecr:?}");
    let detail = found(
        &[],
        &[(
            "files: [out/image/*]\n      discard-paths: yes",
            "files: [out/image/*]",
        )],
    );
    assert!(
        detail[0]
            .1
            .contains("reads `imageDetail.json` from `ImageArtifact`"),
        "{detail:?}"
    );
    // Straight from the ECR source: it holds imageDetail.json and nothing else.
    let ecr = found(
        &[
            (
                "TaskDefinitionTemplateArtifact: DeployArtifact",
                "TaskDefinitionTemplateArtifact: ImageSource",
            ),
            (
                "InputArtifacts: [{Name: DeployArtifact}, {Name: ImageArtifact}]\n",
                "InputArtifacts: [{Name: DeployArtifact}, {Name: ImageArtifact}, {Name: ImageSource}]\n",
            ),
        ],
        &[],
    );
    assert!(ecr.iter().any(|(rule, m)| *rule == ARTIFACT_FILE && m.contains("the output of the ECR source action Source/Image, which holds only imageDetail.json")), "{ecr:?}");
}

#[test]
fn placeholders_the_build_never_writes_are_a_warning() {
    assert!(found(&[("Image1ContainerName: IMAGE1_NAME", "Image1ContainerName: IMAGE2_NAME")], &[])
        .contains(&(IMAGE_PLACEHOLDER, "Image1ContainerName `IMAGE2_NAME` is not in render.yml, which writes the task definition into `DeployArtifact`: unless the template it renders already holds `<IMAGE2_NAME>`, the action has no placeholder to replace".to_owned())));
    assert_eq!(
        found(
            &[(
                "Image1ContainerName: IMAGE1_NAME",
                "Image1ContainerName: WEB_IMAGE"
            )],
            &[("--placeholder web", "--image web=<WEB_IMAGE>")]
        ),
        []
    );
}

mod checks;
