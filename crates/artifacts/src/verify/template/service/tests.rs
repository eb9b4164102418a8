//! The service rules on a small template: an autoscaled ECS-native service with a smoke-test
//! hook that knows the bootstrap image, as in `pipeline-templates/cloudformation`.

use std::collections::BTreeMap;

use super::super::Template;
use super::super::tests::assert_placed;
use super::{SERVICE_BOOTSTRAP_IMAGE, SERVICE_DESIRED_COUNT};

const TEMPLATE: &str = "Parameters:
  ServiceName: {Type: String, Default: web}
  BootstrapImage: {Type: String, Default: 'public.ecr.aws/nginx/nginx-unprivileged:1.27.4'}
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: !Ref BootstrapImage
        - Name: log-router
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4
  SmokeTest:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          BOOTSTRAP_IMAGE: !Ref BootstrapImage
  Service:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: !Ref ServiceName
      TaskDefinition: !Ref TaskDefinition
      LoadBalancers:
        - {ContainerName: web, ContainerPort: 8080}
      DeploymentConfiguration:
        LifecycleHooks:
          - HookTargetArn: !GetAtt SmokeTest.Arn
            LifecycleStages: [POST_TEST_TRAFFIC_SHIFT]
  ScalableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ResourceId: !Sub service/cluster/${Service.Name}
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Stages:
        - Name: Approve
          Actions:
            - Name: Approve
              ActionTypeId: {Category: Approval, Owner: AWS, Provider: Manual, Version: '1'}
";

/// `(rule, place)` of the service findings of the fixture changed by `changes`.
fn found(changes: &[(&str, &str)]) -> Vec<(&'static str, String)> {
    let text = changes
        .iter()
        .fold(TEMPLATE.to_owned(), |text, (from, to)| {
            assert!(text.contains(from), "{from:?} is not in the fixture");
            text.replacen(from, to, 1)
        });
    let template = Template::read(text.as_bytes()).expect("a template");
    template
        .check(&BTreeMap::new())
        .into_iter()
        .filter(|f| [SERVICE_DESIRED_COUNT, SERVICE_BOOTSTRAP_IMAGE].contains(&f.rule))
        .inspect(|f| assert_placed(&text, f))
        .map(|f| {
            (
                f.rule,
                f.location.map(|l| l.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn the_fixture_passes() {
    assert_eq!(found(&[]), []);
}

#[test]
fn an_autoscaled_service_leaves_its_count_to_application_auto_scaling() {
    let counted = [(
        "      TaskDefinition: !Ref TaskDefinition\n",
        "      TaskDefinition: !Ref TaskDefinition\n      DesiredCount: 2\n",
    )];
    assert_eq!(
        found(&counted),
        [(
            SERVICE_DESIRED_COUNT,
            "Resources.Service.Properties.DesiredCount".to_owned()
        )]
    );
    // Named through the service-name parameter instead of the resource.
    let by_name = [counted[0], ("${Service.Name}", "${ServiceName}")];
    assert_eq!(found(&by_name)[0].0, SERVICE_DESIRED_COUNT);
    // Not scaled: the template owns the count.
    let unscaled = [counted[0], ("${Service.Name}", "other")];
    assert_eq!(found(&unscaled), []);
}

#[test]
fn a_stack_update_deploys_the_bootstrap_image_unless_a_hook_refuses_it() {
    let unguarded = [(
        "          BOOTSTRAP_IMAGE: !Ref BootstrapImage\n",
        "          MODE: smoke\n",
    )];
    assert_eq!(
        found(&unguarded),
        [(
            SERVICE_BOOTSTRAP_IMAGE,
            "Resources.TaskDefinition.Properties.ContainerDefinitions[0].Image".to_owned()
        )]
    );
    // CodeDeploy owns a CODE_DEPLOY service's task sets: CloudFormation cannot deploy one.
    let code_deploy = [
        unguarded[0],
        (
            "      ServiceName: !Ref ServiceName\n",
            "      ServiceName: !Ref ServiceName\n      DeploymentController: {Type: CODE_DEPLOY}\n",
        ),
    ];
    assert_eq!(found(&code_deploy), []);
    // An image written into the template is what the template means to run.
    let literal = [
        unguarded[0],
        ("Image: !Ref BootstrapImage", "Image: web:1.4.2"),
    ];
    assert_eq!(found(&literal), []);
}
