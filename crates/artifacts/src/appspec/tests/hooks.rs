//! `Hooks`.

use super::*;
use crate::Severity;

const HOOKS: &str = "Hooks:
  - BeforeInstall: CodeDeployHook_before-install
  - AfterAllowTestTraffic: arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_smoke-test:live
";

fn with_hooks(hooks: &str) -> String {
    valid_with(HOOKS, hooks)
}

#[test]
fn every_event_in_order_passes() {
    let all = "Hooks:\n  - BeforeInstall: CodeDeployHook_a\n  - AfterInstall: CodeDeployHook_b\n  - AfterAllowTestTraffic: CodeDeployHook_c\n  - BeforeAllowTraffic: CodeDeployHook_d\n  - AfterAllowTraffic: CodeDeployHook_e\n";
    let checked = check(with_hooks(all).as_bytes(), None, None);
    assert_eq!(checked.findings, []);
    let events: Vec<LifecycleEvent> = checked
        .value
        .unwrap()
        .hooks
        .iter()
        .map(|h| h.event)
        .collect();
    assert_eq!(events, LifecycleEvent::ALL);
    assert_eq!(findings(&with_hooks("")), [], "hooks are optional");
}

#[test]
fn unknown_events_with_suggestions() {
    for (event, help) in [
        (
            "AfterAllowTestTrafic",
            "did you mean `AfterAllowTestTraffic`?",
        ),
        ("AfterTestTraffic", "did you mean `AfterAllowTestTraffic`?"),
        (
            "beforeInstall",
            "did you mean `BeforeInstall`?; event names are case-sensitive",
        ),
        (
            "ValidateService",
            "`ValidateService` is an EC2/On-Premises event; ECS hooks are `BeforeInstall`, `AfterInstall`, `AfterAllowTestTraffic`, `BeforeAllowTraffic`, `AfterAllowTraffic`",
        ),
        (
            "Install",
            "`Install` is an ECS event that takes no hook; ECS hooks are `BeforeInstall`, `AfterInstall`, `AfterAllowTestTraffic`, `BeforeAllowTraffic`, `AfterAllowTraffic`",
        ),
        (
            "Smoke",
            "ECS hooks are `BeforeInstall`, `AfterInstall`, `AfterAllowTestTraffic`, `BeforeAllowTraffic`, `AfterAllowTraffic`",
        ),
    ] {
        let finding = only(&with_hooks(&format!(
            "Hooks:\n  - {event}: CodeDeployHook_x\n"
        )));
        assert_eq!(finding.rule, "unknown-hook");
        assert_eq!(
            finding.message,
            format!("`{event}` is not a lifecycle event of an ECS deployment")
        );
        assert_eq!(finding.help.as_deref(), Some(help), "{event}");
        assert_eq!(
            finding.shown_location(),
            at(&format!("line 23, $.Hooks[0].{event}"))
        );
    }
}

#[test]
fn empty_values() {
    for value in ["", " ''", " '  '", " ~"] {
        let finding = only(&with_hooks(&format!("Hooks:\n  - AfterInstall:{value}\n")));
        assert_eq!(
            (finding.rule, finding.message.as_str()),
            ("empty-hook", "`AfterInstall` names no Lambda function"),
            "{value:?}"
        );
    }
    for hooks in ["Hooks:\n", "Hooks: []\n"] {
        let empty = only(&with_hooks(hooks));
        assert_eq!(
            (empty.rule, empty.severity),
            ("empty-hook", Severity::Warning),
            "{hooks:?}"
        );
    }
    let item = only(&with_hooks("Hooks:\n  - {}\n"));
    assert_eq!(
        (item.rule, item.message.as_str()),
        ("hook-entry", "the hook entry is empty")
    );
}

#[test]
fn hooks_out_of_order_are_a_warning() {
    let text = with_hooks(
        "Hooks:\n  - AfterAllowTraffic: CodeDeployHook_b\n  - BeforeInstall: CodeDeployHook_a\n",
    );
    let finding = only(&text);
    assert_eq!(
        (finding.rule, finding.severity),
        ("hook-order", Severity::Warning)
    );
    assert_eq!(
        finding.message,
        "`BeforeInstall` is listed after `AfterAllowTraffic`, but runs before it"
    );
    assert_eq!(
        finding.shown_location(),
        at("line 24, $.Hooks[1].BeforeInstall")
    );
    let hooks = check(text.as_bytes(), None, None).value.unwrap().hooks;
    assert_eq!(
        hooks[0].event,
        LifecycleEvent::BeforeInstall,
        "the model is in lifecycle order"
    );
}

#[test]
fn the_managed_role_invokes_only_code_deploy_hook_functions() {
    for (value, name) in [
        ("SmokeTest", "SmokeTest"),
        (
            "arn:aws:lambda:us-east-1:111122223333:function:AfterAllowTestTraffic",
            "AfterAllowTestTraffic",
        ),
        (
            "arn:aws:lambda:us-east-1:111122223333:function:SmokeTest:live",
            "SmokeTest",
        ),
        ("111122223333:function:SmokeTest", "SmokeTest"),
    ] {
        let finding = only(&with_hooks(&format!("Hooks:\n  - AfterInstall: {value}\n")));
        assert_eq!(
            (finding.rule, finding.severity),
            ("hook-role", Severity::Warning),
            "{value}"
        );
        assert_eq!(
            finding.message,
            format!(
                "the function `{name}` does not start with `CodeDeployHook_`, so a deployment group with the managed role `AWSCodeDeployRoleForECSLimited` cannot invoke it"
            )
        );
    }
    let case = only(&with_hooks("Hooks:\n  - AfterInstall: codedeployhook_x\n"));
    assert!(
        case.message.contains("(the match is case-sensitive)"),
        "{case:?}"
    );
    assert_eq!(
        findings(&with_hooks(
            "Hooks:\n  - AfterInstall: arn:aws-cn:lambda:cn-north-1:111122223333:function:CodeDeployHook_x:3\n"
        )),
        []
    );
}

#[test]
fn function_names_lambda_refuses() {
    for (value, message) in [
        (
            "smoke test",
            "the function name `smoke test` contains ` `; Lambda allows letters, digits, `-` and `_`",
        ),
        (
            "arn:aws:s3:::bucket",
            "`arn:aws:s3:::bucket` is not a Lambda function ARN",
        ),
        (
            "arn:aws:lambda:us-east-1:1111:function:CodeDeployHook_x",
            "`arn:aws:lambda:us-east-1:1111:function:CodeDeployHook_x`: the account id `1111` is not 12 digits",
        ),
    ] {
        let finding = only(&with_hooks(&format!("Hooks:\n  - AfterInstall: {value}\n")));
        assert_eq!(
            (finding.rule, finding.message.as_str()),
            ("hook-function", message),
            "{value}"
        );
    }
    let long = format!("CodeDeployHook_{}", "x".repeat(50));
    assert!(
        hook_function_name(&long)
            .unwrap_err()
            .contains("longer than Lambda's 64 characters")
    );
    assert_eq!(
        hook_function_name("arn:aws:lambda:us-east-1:111122223333:function:f:$LATEST"),
        Ok("f")
    );
}

#[test]
fn each_event_once() {
    let finding = only(&with_hooks(
        "Hooks:\n  - AfterInstall: CodeDeployHook_a\n  - AfterInstall: CodeDeployHook_b\n",
    ));
    assert_eq!(finding.rule, "duplicate-hook");
    assert_eq!(
        finding.shown_location(),
        at("line 24, $.Hooks[1].AfterInstall")
    );
    let one_item = only(&with_hooks(
        "Hooks:\n  - BeforeInstall: CodeDeployHook_a\n    AfterInstall: CodeDeployHook_b\n",
    ));
    assert_eq!(
        one_item.message,
        "one list item holds 2 events (`BeforeInstall`, `AfterInstall`); each hook is its own item"
    );
}

#[test]
fn hooks_have_the_ecs_shape() {
    let ec2 = with_hooks("Hooks:\n  BeforeInstall:\n    - location: scripts/install.sh\n");
    let found = findings(&ec2);
    assert_eq!(
        found.iter().map(|f| f.rule).collect::<Vec<_>>(),
        ["wrong-type", "wrong-type"]
    );
    assert_eq!(
        found[0].message,
        "`Hooks` is a mapping; for ECS it is a list of single-event items"
    );
    assert_eq!(
        found[1].message,
        "`BeforeInstall` is a list; an ECS hook is one Lambda function"
    );
    let boolean = only(&with_hooks("Hooks:\n  - AfterInstall: yes\n"));
    assert_eq!(
        boolean.message,
        "`AfterInstall` is a boolean, not a function name"
    );
    assert_eq!(
        only(&with_hooks("Hooks: CodeDeployHook_a\n")).message,
        "`Hooks` is a string, not a list"
    );
    assert_eq!(
        only(&with_hooks("Hooks:\n  - CodeDeployHook_a\n")).rule,
        "hook-entry"
    );
}
