//! `NetworkConfiguration` and `CapacityProviderStrategy`.

use super::*;
use crate::Severity;

const PROPERTIES: &str = "$.Resources[0].TargetService.Properties";
const AWSVPC: &str = "        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets: [subnet-0123abcd, subnet-4567cdef]
            SecurityGroups: [sg-0123abcd]
            AssignPublicIp: DISABLED
";
const STRATEGY: &str = "          - CapacityProvider: FARGATE_SPOT
            Base: 1
            Weight: 2
          - CapacityProvider: FARGATE
            Weight: 1
";

#[test]
fn network_configuration_is_all_or_nothing() {
    let partial = valid_with(
        AWSVPC,
        "        NetworkConfiguration:\n          AwsvpcConfiguration:\n            Subnets: [subnet-0123abcd]\n",
    );
    let finding = only(&partial);
    assert_eq!(finding.rule, "network-configuration");
    assert_eq!(
        finding.message,
        "`AwsvpcConfiguration` gives `Subnets` but not `SecurityGroups`, `AssignPublicIp`; CodeDeploy needs all three or none"
    );
    assert_eq!(
        finding.location_str(),
        Some(format!("line 12, {PROPERTIES}.NetworkConfiguration.AwsvpcConfiguration").as_str())
    );
    let empty_list = valid_with("SecurityGroups: [sg-0123abcd]", "SecurityGroups: []");
    assert!(
        only(&empty_list)
            .message
            .contains("but not `SecurityGroups`")
    );
    let nothing = only(&valid_with(
        AWSVPC,
        "        NetworkConfiguration:\n          AwsvpcConfiguration: {}\n",
    ));
    assert_eq!(
        (nothing.rule, nothing.severity),
        ("network-configuration", Severity::Warning)
    );
    let found = findings(&valid_with(
        AWSVPC,
        "        NetworkConfiguration:\n          Subnets: [subnet-0123abcd]\n",
    ));
    assert_eq!(
        found.iter().map(|f| f.rule).collect::<Vec<_>>(),
        ["unknown-key", "network-configuration"]
    );
    let scalar = only(&valid_with(
        AWSVPC,
        "        NetworkConfiguration: awsvpc\n",
    ));
    assert_eq!(
        scalar.message,
        "`NetworkConfiguration` is a string, not a mapping"
    );
}

#[test]
fn assign_public_ip_is_enabled_or_disabled() {
    let lower = only(&valid_with(
        "AssignPublicIp: DISABLED",
        "AssignPublicIp: disabled",
    ));
    assert_eq!(lower.rule, "assign-public-ip");
    assert_eq!(lower.help.as_deref(), Some("write `DISABLED`, in capitals"));
    let boolean = only(&valid_with(
        "AssignPublicIp: DISABLED",
        "AssignPublicIp: no",
    ));
    assert_eq!(
        boolean.message,
        "`AssignPublicIp` is a boolean, not a string"
    );
    let other = only(&valid_with(
        "AssignPublicIp: DISABLED",
        "AssignPublicIp: PUBLIC",
    ));
    assert_eq!(
        other.message,
        "`AssignPublicIp` is `PUBLIC`, not `ENABLED` or `DISABLED`"
    );
}

#[test]
fn subnets_and_security_groups_are_lists_of_ids() {
    let string = only(&valid_with(
        "Subnets: [subnet-0123abcd, subnet-4567cdef]",
        "Subnets: subnet-0123abcd,subnet-4567cdef",
    ));
    assert_eq!(
        (string.rule, string.message.as_str()),
        ("subnet", "`Subnets` is a string, not a list")
    );
    let bad = only(&valid_with("subnet-4567cdef", "subnet-xyz"));
    assert_eq!(
        bad.message,
        "`subnet-xyz` is not a subnet id: `subnet-` and 8 or 17 hexadecimal digits"
    );
    assert_eq!(
        bad.location_str(),
        Some(
            format!("line 13, {PROPERTIES}.NetworkConfiguration.AwsvpcConfiguration.Subnets[1]")
                .as_str()
        )
    );
    assert_eq!(
        only(&valid_with("sg-0123abcd", "''")).message,
        "a security group id is empty"
    );
    assert_eq!(
        findings(&valid_with("sg-0123abcd", "sg-0123456789abcdef0")),
        [],
        "17 digits"
    );
}

#[test]
fn ecs_limits_on_subnets_and_security_groups() {
    let sixteen: Vec<String> = (0..17).map(|n| format!("subnet-{n:08x}")).collect();
    let many = only(&valid_with(
        "[subnet-0123abcd, subnet-4567cdef]",
        &format!("[{}]", sixteen.join(", ")),
    ));
    assert_eq!(
        many.message,
        "`Subnets` lists 17 subnets; ECS takes at most 16"
    );
    let six: Vec<String> = (0..6).map(|n| format!("sg-{n:08x}")).collect();
    let many = only(&valid_with(
        "[sg-0123abcd]",
        &format!("[{}]", six.join(", ")),
    ));
    assert_eq!(
        many.message,
        "`SecurityGroups` lists 6 security groups; ECS takes at most 5"
    );
}

#[test]
fn capacity_provider_strategies() {
    let two_bases = only(&valid_with(
        STRATEGY,
        "          - CapacityProvider: FARGATE_SPOT\n            Base: 1\n            Weight: 2\n          - CapacityProvider: FARGATE\n            Base: 2\n            Weight: 1\n",
    ));
    assert_eq!(
        two_bases.message,
        "2 providers set a `Base`; only one provider of a strategy may"
    );
    assert_eq!(
        two_bases.location_str(),
        Some(format!("line 20, {PROPERTIES}.CapacityProviderStrategy[1]").as_str())
    );
    let zero_base = valid_with(
        "            Weight: 1\n",
        "            Base: 0\n            Weight: 1\n",
    );
    assert_eq!(
        findings(&zero_base),
        [],
        "AWS's own example sets `Base: 0` on a second provider"
    );
    let no_weight = only(&valid_with(
        STRATEGY,
        "          - CapacityProvider: FARGATE\n            Base: 2\n            Weight: 0\n",
    ));
    assert_eq!(
        no_weight.message,
        "no provider has a `Weight` above 0, so ECS can place no task beyond the base"
    );
    for (from, to, message) in [
        ("Base: 1", "Base: -1", "`Base` is -1; it cannot be negative"),
        (
            "Weight: 2",
            "Weight: 1001",
            "`Weight` is 1001; ECS allows 0 to 1000",
        ),
        (
            "Base: 1",
            "Base: 100001",
            "`Base` is 100001; ECS allows 0 to 100000",
        ),
        (
            "Base: 1",
            "Base: \"1\"",
            "`Base` is the string `\"1\"`, not a number",
        ),
        (
            "Weight: 2",
            "Weight: 1.5",
            "`Weight` is a decimal number, not a whole number",
        ),
        (
            "CapacityProvider: FARGATE_SPOT\n",
            "CapacityProvider: ''\n",
            "`CapacityProvider` must be 1 to 255 characters",
        ),
        (
            "- CapacityProvider: FARGATE_SPOT\n            Base: 1",
            "- Base: 1",
            "the entry has no `CapacityProvider`",
        ),
    ] {
        let finding = only(&valid_with(from, to));
        assert_eq!(
            (finding.rule, finding.message.as_str()),
            ("capacity-provider-strategy", message),
            "{to}"
        );
    }
    let scalar = only(&valid_with(
        &format!("        CapacityProviderStrategy:\n{STRATEGY}"),
        "        CapacityProviderStrategy: FARGATE\n",
    ));
    assert_eq!(
        scalar.message,
        "`CapacityProviderStrategy` is a string, not a list"
    );
    let typo = only(&valid_with(
        "            Weight: 1\n",
        "            Wieght: 1\n",
    ));
    assert_eq!(typo.help.as_deref(), Some("did you mean `Weight`?"));
}

#[test]
fn ecs_limits_are_inclusive() {
    let subnets: Vec<String> = (0..16).map(|n| format!("subnet-{n:08x}")).collect();
    let groups: Vec<String> = (0..5).map(|n| format!("sg-{n:08x}")).collect();
    let at_the_limits = valid_with(
        "[subnet-0123abcd, subnet-4567cdef]",
        &format!("[{}]", subnets.join(", ")),
    )
    .replacen("[sg-0123abcd]", &format!("[{}]", groups.join(", ")), 1)
    .replacen("Base: 1", "Base: 100000", 1)
    .replacen("Weight: 2", "Weight: 1000", 1);
    assert_eq!(findings(&at_the_limits), []);
}

#[test]
fn a_strategy_holds_at_most_20_providers_of_one_kind() {
    let providers = |count: usize| {
        (0..count)
            .map(|n| format!("          - CapacityProvider: web-asg-{n}\n            Weight: 1\n"))
            .collect::<Vec<_>>()
            .concat()
    };
    assert_eq!(findings(&valid_with(STRATEGY, &providers(20))), []);
    let many = only(&valid_with(STRATEGY, &providers(21)));
    assert_eq!(
        (many.rule, many.message.as_str()),
        (
            "capacity-provider-strategy",
            "`CapacityProviderStrategy` lists 21 providers; ECS takes at most 20"
        )
    );
    assert_eq!(
        many.location_str(),
        Some(format!("line 17, {PROPERTIES}.CapacityProviderStrategy").as_str())
    );

    let mixed = only(&valid_with(
        "CapacityProvider: FARGATE\n",
        "CapacityProvider: web-asg\n",
    ));
    assert_eq!(
        (mixed.rule, mixed.message.as_str()),
        (
            "capacity-provider-strategy",
            "the strategy mixes the Fargate providers `FARGATE_SPOT` with `web-asg`; a strategy \
             holds Fargate providers or the cluster's own providers, not both"
        )
    );
    assert_eq!(
        mixed.location_str(),
        Some(format!("line 17, {PROPERTIES}.CapacityProviderStrategy").as_str())
    );
}

#[test]
fn provider_names_are_fargate_or_names_ecs_can_create() {
    // The prefixes are documented in lower case; a created provider may be `Fargate-asg`.
    let created = valid_with(
        STRATEGY,
        "          - CapacityProvider: Fargate-asg\n            Base: 1\n            Weight: 2\n          - CapacityProvider: web_asg-2\n            Weight: 1\n",
    );
    assert_eq!(findings(&created), []);
    for (name, message, help) in [
        (
            "fargate_spot",
            "`CapacityProvider` `fargate_spot` starts with `fargate`, which no capacity provider's \
             name can; the Fargate providers are `FARGATE` and `FARGATE_SPOT`",
            "write `FARGATE_SPOT`, in capitals",
        ),
        (
            "ecs-web",
            "`CapacityProvider` `ecs-web` starts with `ecs`, which no capacity provider's name can; \
             the Fargate providers are `FARGATE` and `FARGATE_SPOT`",
            "use `FARGATE`, `FARGATE_SPOT`, or the name of a capacity provider of the cluster",
        ),
        (
            "web asg",
            "`CapacityProvider` `web asg` contains ` `; provider names are letters, digits, `_` and `-`",
            "use `FARGATE`, `FARGATE_SPOT`, or the name of a capacity provider of the cluster",
        ),
    ] {
        let finding = only(&valid_with(
            "CapacityProvider: FARGATE_SPOT\n",
            &format!("CapacityProvider: {name}\n"),
        ));
        assert_eq!(
            (
                finding.rule,
                finding.message.as_str(),
                finding.help.as_deref()
            ),
            ("capacity-provider-strategy", message, Some(help)),
            "{name}"
        );
        assert_eq!(
            finding.location_str(),
            Some(
                format!("line 17, {PROPERTIES}.CapacityProviderStrategy[0].CapacityProvider")
                    .as_str()
            )
        );
    }
}
