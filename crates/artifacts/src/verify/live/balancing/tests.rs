use super::*;

fn question() -> BalancingQuestion {
    BalancingQuestion {
        application: "web".to_owned(),
        group: "web-prod".to_owned(),
        region: "eu-west-1".to_owned(),
        container_name: "web".to_owned(),
        container_port: 8080,
        test_traffic_hook: true,
        awsvpc: true,
        service: Some(("main".to_owned(), "web".to_owned())),
        capacity_providers: vec!["FARGATE_SPOT".to_owned()],
    }
}

fn target_group(
    name: &str,
    target_type: &str,
    health_check_port: &str,
) -> (String, Fact<TargetGroup>) {
    let arn = format!("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/{name}/1");
    let found = TargetGroup {
        arn,
        target_type: target_type.to_owned(),
        health_check_port: health_check_port.to_owned(),
    };
    (name.to_owned(), Fact::Found(found))
}

fn passing() -> BalancingAnswers {
    BalancingAnswers {
        question: question(),
        group: Fact::Found(DeploymentGroup {
            compute_platform: "ECS".to_owned(),
            services: vec![(
                "arn:aws:ecs:eu-west-1:123456789012:cluster/main".to_owned(),
                "web".to_owned(),
            )],
            target_groups: vec!["blue".to_owned(), "green".to_owned()],
            production_listeners: vec!["prod".to_owned()],
            test_listeners: vec!["test".to_owned()],
            rollback_events: vec!["DEPLOYMENT_FAILURE".to_owned()],
            alarms: Vec::new(),
        }),
        target_groups: vec![
            target_group("blue", "ip", "traffic-port"),
            target_group("green", "ip", "8080"),
        ],
        listeners: vec![
            ("prod".to_owned(), Fact::Found(())),
            ("test".to_owned(), Fact::Found(())),
        ],
        service: Some((
            ("main".to_owned(), "web".to_owned()),
            Fact::Found(EcsService {
                arn: "arn:aws:ecs:eu-west-1:123456789012:service/main/web".to_owned(),
                controller: "CODE_DEPLOY".to_owned(),
                load_balancers: vec![("web".to_owned(), 8080)],
                cluster_capacity_providers: vec!["FARGATE".to_owned(), "FARGATE_SPOT".to_owned()],
            }),
        )),
    }
}

fn rules(answers: &BalancingAnswers) -> Vec<&'static str> {
    judge(answers).iter().map(|f| f.finding.rule).collect()
}

#[test]
fn a_wired_group_passes() {
    assert!(judge(&passing()).is_empty());
    let Fact::Found(group) = passing().group else {
        unreachable!()
    };
    assert_eq!(
        group.rollback(),
        "rollback on DEPLOYMENT_FAILURE, alarms none"
    );
}

#[test]
fn a_missing_or_unreadable_group_is_the_only_finding() {
    let mut answers = passing();
    answers.group = Fact::Missing;
    let found = judge(&answers);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].finding.rule, "deployment-group-missing");
    assert_eq!(
        found[0].resource,
        "arn:aws:codedeploy:eu-west-1:*:deploymentgroup:web/web-prod"
    );
    answers.group = Fact::Denied {
        action: "codedeploy:GetDeploymentGroup",
    };
    assert_eq!(rules(&answers), ["live-access-denied"]);
}

#[test]
fn the_group_must_be_an_ecs_group_for_the_service_with_a_test_listener() {
    let mut answers = passing();
    let Fact::Found(group) = &mut answers.group else {
        unreachable!()
    };
    group.compute_platform = "Server".to_owned();
    group.services = vec![("main".to_owned(), "api".to_owned())];
    group.test_listeners.clear();
    assert_eq!(
        rules(&answers),
        [
            "deployment-group-ecs",
            "deployment-group-service",
            "test-listener-missing"
        ]
    );
    answers.question.test_traffic_hook = false;
    answers.question.service = None;
    assert_eq!(rules(&answers), ["deployment-group-ecs"]);
}

#[test]
fn target_groups_and_listeners() {
    let mut answers = passing();
    answers.target_groups = vec![
        ("blue".to_owned(), Fact::Missing),
        target_group("green", "instance", "traffic-port"),
        target_group("other", "ip", "9000"),
    ];
    answers.listeners[1].1 = Fact::Missing;
    let found = judge(&answers);
    let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
    assert_eq!(
        rules,
        [
            "target-group-missing",
            "target-group-type",
            "target-group-port",
            "listener-missing"
        ]
    );
    assert_eq!(found[0].resource, "blue");
    assert_eq!(found[3].resource, "test");
    // Bridge and host tasks register instances.
    answers.question.awsvpc = false;
    answers.target_groups = vec![target_group("green", "instance", "traffic-port")];
    answers.listeners.clear();
    assert!(judge(&answers).is_empty());
}

#[test]
fn the_service_is_controlled_by_code_deploy_and_routes_to_the_appspec_container() {
    let mut answers = passing();
    let Some((_, Fact::Found(service))) = &mut answers.service else {
        unreachable!()
    };
    service.controller = "ECS".to_owned();
    service.load_balancers = vec![("web".to_owned(), 80)];
    service.cluster_capacity_providers.clear();
    assert_eq!(
        rules(&answers),
        [
            "deployment-controller",
            "appspec-load-balancer",
            "capacity-provider-missing"
        ]
    );
    answers.service.as_mut().unwrap().1 = Fact::Missing;
    let found = judge(&answers);
    assert_eq!(found[0].finding.rule, "service-missing");
    assert_eq!(
        found[0].resource,
        "arn:aws:ecs:eu-west-1:*:service/main/web"
    );
}
