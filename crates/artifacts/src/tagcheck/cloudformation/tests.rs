use super::*;

fn found(text: &str) -> Vec<(&'static str, String)> {
    check(text.as_bytes(), &Policy::default())
        .findings
        .into_iter()
        .map(|f| (f.rule, f.shown_location().unwrap_or_default()))
        .collect()
}

const YAML: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Tag:
    Type: String
    Default: latest
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: !Sub '${AWS::StackName}-web'
  Locked:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: IMMUTABLE
  Loose:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: MUTABLE_WITH_EXCLUSION
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: !Sub '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/web:${Tag}'
        - Name: log
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:latest
        - Name: arn
          Image: !GetAtt Repo.RepositoryUri
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      RoleArn: !GetAtt Role.Arn
      Stages:
        - Name: Source
          Actions:
            - Name: Image
              ActionTypeId: {Category: Source, Owner: AWS, Provider: ECR, Version: '1'}
              Configuration:
                RepositoryName: !Ref Repo
";

#[test]
fn short_form_tags_do_not_break_the_parse() {
    let found = found(YAML);
    assert_eq!(
        found,
        [
            (
                "mutable-repository",
                "line 7, column 3, $.Resources.Repo.Properties.ImageTagMutability".to_owned()
            ),
            (
                "mutable-repository",
                "line 18, column 7, $.Resources.Loose.Properties.ImageTagMutability".to_owned()
            ),
            (
                "unresolved-variable",
                "line 24, column 24, $.Resources.Task.Properties.ContainerDefinitions[0].Image"
                    .to_owned()
            ),
            (
                "latest-tag",
                "line 26, column 18, $.Resources.Task.Properties.ContainerDefinitions[1].Image"
                    .to_owned()
            ),
            (
                "unresolved-variable",
                "line 28, column 26, $.Resources.Task.Properties.ContainerDefinitions[2].Image"
                    .to_owned()
            ),
            (
                "ecr-source-tracks-latest",
                "line 36, column 21, $.Resources.Pipeline.Properties.Stages[0].Actions[0]"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn refs_to_parameters_take_their_default() {
    let text = "Parameters:\n  Mode:\n    Type: String\n    Default: MUTABLE\nResources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageTagMutability: !Ref Mode\n";
    assert_eq!(found(text)[0].0, "mutable-repository");
    let json = r#"{"Parameters": {"Image": {"Type": "String", "Default": "nginx"}},
 "Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Image": {"Ref": "Image"}}]}}}}"#;
    assert_eq!(found(json)[0].0, "untagged-image");
}

#[test]
fn broken_yaml_is_a_finding() {
    assert_eq!(found("Resources: [\n")[0].0, "invalid-file");
}

#[test]
fn the_four_modes_as_written_in_templates() {
    let finding =
        |mode| repository_mode_finding(mode, "repository `R`", "ImageTagMutability: IMMUTABLE");
    assert!(finding(Some("IMMUTABLE")).is_none());
    // Only the excluded tags are mutable; whether a deployed tag is one of them is for `--ecr`.
    assert!(finding(Some("IMMUTABLE_WITH_EXCLUSION")).is_none());
    let loose = finding(Some("MUTABLE_WITH_EXCLUSION")).unwrap();
    assert_eq!(
        (loose.rule, loose.severity),
        ("mutable-repository", crate::Severity::Warning)
    );
    assert_eq!(
        finding(Some("MUTABLE")).unwrap().severity,
        crate::Severity::Error
    );
    assert!(
        finding(None)
            .unwrap()
            .message
            .contains("ECR's default is `MUTABLE`")
    );
    assert_eq!(
        finding(Some("${Mode}")).unwrap().rule,
        "unresolved-variable"
    );
}
