//! The validator never panics, whatever JSON it is given: arbitrary documents built from the
//! member names the rules look at, and the valid document with one value swapped for anything.

use proptest::prelude::*;
use serde_json::{Map, Number, Value};

use super::web_and_sidecar;
use crate::task_definition::rules::{RuleOptions, check};
use crate::task_definition::shape::{check_structure, to_register_input};

/// Member names the shape check and the rules read, so that arbitrary objects reach them
/// rather than stopping at `unknown-key`.
const KEYS: &[&str] = &[
    "family",
    "containerDefinitions",
    "name",
    "image",
    "cpu",
    "memory",
    "memoryReservation",
    "networkMode",
    "requiresCompatibilities",
    "portMappings",
    "containerPort",
    "hostPort",
    "containerPortRange",
    "protocol",
    "appProtocol",
    "environment",
    "value",
    "secrets",
    "valueFrom",
    "essential",
    "links",
    "dependsOn",
    "condition",
    "containerName",
    "runtimePlatform",
    "operatingSystemFamily",
    "cpuArchitecture",
    "ephemeralStorage",
    "sizeInGiB",
    "volumes",
    "mountPoints",
    "sourceVolume",
    "taskDefinition",
    "tags",
    "key",
    "logConfiguration",
    "logDriver",
    "options",
    "firelensConfiguration",
    "type",
    "ulimits",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "",
            "256",
            "0.25 vCPU",
            "512",
            "awsvpc",
            "bridge",
            "host",
            "FARGATE",
            "EC2",
            "LINUX",
            "WINDOWS_SERVER_2022_CORE",
            "ARM64",
            "<IMAGE1_NAME>",
            "nginx:latest",
            "tcp",
            "http2",
            "8080",
            "-1",
            "99999999999999999999",
            "arn:aws:ssm:::parameter/x",
        ])
        .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ]
}

/// Any JSON value, nested a few levels, with keys mostly from [`KEYS`].
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ];
    scalar().prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The JSON pointers of every value in `value`, the root included.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_owned());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(child, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn validate(document: Value) {
    let (document, _) = to_register_input(document);
    let _ = check_structure(&document);
    for allow_placeholders in [false, true] {
        let options = RuleOptions {
            allow_placeholders,
            ..RuleOptions::default()
        };
        let _ = check(&document, &options);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_documents_never_panic(document in json_value()) {
        validate(document);
    }

    #[test]
    fn one_value_swapped_for_anything_never_panics(
        choice in any::<prop::sample::Index>(),
        replacement in json_value(),
    ) {
        let mut document = web_and_sidecar();
        let mut all = Vec::new();
        pointers(&document, "", &mut all);
        let pointer = choice.get(&all);
        *document.pointer_mut(pointer).expect("the pointer was just collected") = replacement;
        validate(document);
    }

    /// Describe output wraps the definition; the conversion must not panic on any wrapper.
    #[test]
    fn arbitrary_describe_output_never_panics(inner in json_value(), tags in json_value()) {
        validate(serde_json::json!({"taskDefinition": inner, "tags": tags}));
    }
}
