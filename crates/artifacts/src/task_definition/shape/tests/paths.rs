//! Paths and pointers into the model, near-miss suggestions, and the generic shape types.

use serde_json::{Value, json};

use crate::task_definition::shape::check;
use crate::task_definition::shape::model::{Bound, Kind, Member, Model, Shape};
use crate::task_definition::shape::suggest::{Reach, json_path, similar};
use crate::task_definition::shape::{PathSegment, ShapeType, member_type_at, type_at_pointer};

#[test]
fn types_at_paths_and_pointers() {
    use PathSegment::{Index, Key};
    assert_eq!(member_type_at(&[]), Some(ShapeType::Structure));
    assert_eq!(member_type_at(&[Key("cpu")]), Some(ShapeType::String));
    let container_cpu = [Key("containerDefinitions"), Index(0), Key("cpu")];
    assert_eq!(member_type_at(&container_cpu), Some(ShapeType::Integer));
    assert_eq!(
        member_type_at(&[Key("containerDefinitions"), Key("0")]),
        None
    );
    assert_eq!(member_type_at(&[Key("nope")]), None);
    let cases = [
        ("", Some(ShapeType::Structure)),
        ("/family", Some(ShapeType::String)),
        ("/containerDefinitions", Some(ShapeType::List)),
        ("/containerDefinitions/0", Some(ShapeType::Structure)),
        (
            "/containerDefinitions/12/essential",
            Some(ShapeType::Boolean),
        ),
        (
            "/containerDefinitions/-/portMappings/0/containerPort",
            Some(ShapeType::Integer),
        ),
        ("/containerDefinitions/0/dockerLabels", Some(ShapeType::Map)),
        (
            "/containerDefinitions/0/dockerLabels/a~1b~0c",
            Some(ShapeType::String),
        ),
        ("/ephemeralStorage/sizeInGiB", Some(ShapeType::Integer)),
        ("/containerDefinitions/01/cpu", None),
        ("/containerDefinitions/x", None),
        ("/containerDefinitions/0/cpu/extra", None),
        ("/nope", None),
        ("family", None),
    ];
    for (pointer, expected) in cases {
        assert_eq!(type_at_pointer(pointer), expected, "{pointer}");
    }
}

#[test]
fn near_misses_and_paths() {
    use PathSegment::{Index, Key};
    let names = ["cpu", "image", "memory", "memoryReservation", "hostPort"];
    let near = |word| similar(word, names.iter().copied(), Reach::Short);
    assert_eq!(near("imagee"), Some("image"));
    assert_eq!(near("Image"), Some("image"));
    assert_eq!(near("IMAGE"), Some("image"));
    assert_eq!(near("memroy"), Some("memory"));
    assert_eq!(near("hostport"), Some("hostPort"));
    assert_eq!(near("cpus"), Some("cpu"));
    assert_eq!(near("cp"), Some("cpu"));
    assert_eq!(near("xy"), None);
    assert_eq!(near("mem"), None);
    assert_eq!(near("environment"), None);
    assert_eq!(json_path(&[]).to_string(), "$");
    assert_eq!(
        json_path(&[
            Key("containerDefinitions"),
            Index(0),
            Key("portMappings"),
            Index(1),
            Key("hostPort")
        ])
        .to_string(),
        "$.containerDefinitions[0].portMappings[1].hostPort"
    );
    assert_eq!(
        json_path(&[Key("awslogs-group")]).to_string(),
        "$['awslogs-group']"
    );
    assert_eq!(json_path(&[Key("it's")]).to_string(), r"$['it\'s']");
    assert_eq!(json_path(&[Key("")]).to_string(), "$['']");
    assert_eq!(json_path(&[Key("_9")]).to_string(), "$._9");
}

/// Shape types and bounds the ECS model does not use today, through a small synthetic model.
#[test]
fn generic_types_and_bounds() {
    const fn scalar(
        name: &'static str,
        kind: ShapeType,
        min: Option<Bound>,
        max: Option<Bound>,
    ) -> Shape {
        Shape {
            name,
            kind: Kind::Scalar(kind),
            enum_values: &[],
            min,
            max,
            sensitive: false,
            deprecated: None,
        }
    }
    const fn member(name: &'static str, shape: usize) -> Member {
        Member {
            name,
            shape,
            deprecated: None,
        }
    }
    static MODEL: Model = Model {
        botocore_version: "0",
        root: 0,
        describe_only: &[],
        shapes: &[
            Shape {
                name: "Root",
                kind: Kind::Structure {
                    members: &[
                        member("at", 4),
                        member("big", 2),
                        member("blob", 5),
                        member("count", 1),
                        member("ratio", 3),
                    ],
                    required: &[],
                },
                enum_values: &[],
                min: None,
                max: None,
                sensitive: false,
                deprecated: None,
            },
            scalar(
                "Count",
                ShapeType::Integer,
                Some(Bound::Integer(1)),
                Some(Bound::Integer(10)),
            ),
            scalar("Big", ShapeType::Long, None, None),
            scalar("Ratio", ShapeType::Double, Some(Bound::Float(0.5)), None),
            scalar("At", ShapeType::Timestamp, None, None),
            scalar("Blob", ShapeType::Blob, None, None),
        ],
    };
    let model = &MODEL;
    let messages = |document: Value| -> Vec<String> {
        check::check(model, &document)
            .into_iter()
            .map(|finding| format!("{} {}", finding.rule, finding.message))
            .collect()
    };
    let good = json!({"count": 10, "big": 9_007_199_254_740_993_i64, "ratio": 0.5, "at": 1.5, "blob": "AA=="});
    assert_eq!(messages(good), Vec::<String>::new());
    assert_eq!(
        messages(json!({"at": "2025-01-01T00:00:00Z"})),
        Vec::<String>::new()
    );
    assert_eq!(
        messages(json!({"count": 0, "big": u64::MAX, "ratio": 0.25, "at": true, "blob": 1})),
        [
            "wrong-type `at` must be a timestamp (a number or a string), not `true`",
            "out-of-range `big` is 18446744073709551615, which does not fit in a signed 64-bit integer",
            "wrong-type `blob` must be a base64 string, not the number `1`",
            "out-of-range `count` is 0; the minimum is 1",
            "out-of-range `ratio` is 0.25; the minimum is 0.5",
        ]
    );
    assert_eq!(
        messages(json!({"count": 11})),
        ["out-of-range `count` is 11; the maximum is 10"]
    );
}
