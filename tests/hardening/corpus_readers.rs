//! Which programs read each kind of file in the malformed-input corpus, and the pairs that
//! legitimately succeed.

use crate::support::fixtures::ecr_registry;

/// The image every `ecs-imagedefs` run is given.
const IMAGE: &str = concat!("web=", ecr_registry!(), "/web-service:1.0");

/// How a program ends on a bad file it could read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Reports the file as a finding: exit `1`.
    Checker,
    /// Cannot do its job without the file: exit `2`.
    Producer,
}

/// One program reading one kind of file: the case goes to `slot`, next to the fixtures in `art/`.
pub(crate) struct Reader {
    pub(crate) program: &'static str,
    pub(crate) args: &'static [&'static str],
    pub(crate) slot: &'static str,
    pub(crate) class: Class,
}

const fn reader(
    program: &'static str,
    args: &'static [&'static str],
    slot: &'static str,
    class: Class,
) -> Reader {
    Reader {
        program,
        args,
        slot,
        class,
    }
}

pub(crate) use Class::{Checker, Producer};

const BLUE_GREEN_ZIP: &[&str] = &[
    "--for",
    "blue-green",
    "--base-dir",
    "art",
    "taskdef.json",
    "appspec.yaml",
    "imageDetail.json",
    "-o",
    "out/deploy.zip",
];

pub(crate) fn readers(kind: &str) -> Vec<Reader> {
    let taskdef = |slot| {
        [
            reader("ecs-taskdef", &["check", "@"], slot, Checker),
            reader(
                "ecs-taskdef",
                &["render", "@", "-o", "out/t.json"],
                slot,
                Producer,
            ),
            reader(
                "ecs-appspec",
                &["--taskdef", "@", "-o", "out/a.yaml"],
                slot,
                Producer,
            ),
            reader(
                "ecs-appspec",
                &["check", "art/appspec.yaml", "--taskdef", "@"],
                slot,
                Producer,
            ),
            reader(
                "ecs-imagedefs",
                &[IMAGE, "--taskdef", "@", "-o", "out/i.json"],
                slot,
                Producer,
            ),
        ]
    };
    let imagedefs = "art/imagedefinitions.json";
    let detail = "art/imageDetail.json";
    match kind {
        "taskdef" => {
            let slot = "art/taskdef.json";
            let mut all = Vec::from(taskdef(slot));
            all.extend([
                reader("ecs-verify", &["--for", "blue-green", "art"], slot, Checker),
                reader("ecs-tagcheck", &["@"], slot, Checker),
                reader("ecs-bundle", BLUE_GREEN_ZIP, slot, Producer),
            ]);
            all
        }
        "imagedefs" => vec![
            reader("ecs-imagedefs", &["check", "@"], imagedefs, Checker),
            reader("ecs-verify", &["--for", "ecs", "art"], imagedefs, Checker),
            reader("ecs-tagcheck", &["@"], imagedefs, Checker),
            reader(
                "ecs-bundle",
                &[
                    "--for",
                    "ecs",
                    "--base-dir",
                    "art",
                    "imagedefinitions.json",
                    "-o",
                    "out/d.zip",
                ],
                imagedefs,
                Producer,
            ),
        ],
        "imagedetail" => vec![
            reader("ecs-imagedefs", &["check", "@"], detail, Checker),
            reader(
                "ecs-verify",
                &["--for", "blue-green", "art"],
                detail,
                Checker,
            ),
            reader("ecs-tagcheck", &["@"], detail, Checker),
            reader("ecs-bundle", BLUE_GREEN_ZIP, detail, Producer),
        ],
        "appspec" => vec![
            reader("ecs-appspec", &["check", "@"], "art/appspec.yaml", Checker),
            reader(
                "ecs-verify",
                &["--for", "blue-green", "art"],
                "art/appspec.yaml",
                Checker,
            ),
            reader("ecs-bundle", BLUE_GREEN_ZIP, "art/appspec.yaml", Producer),
        ],
        "dockerfile" => vec![reader("ecs-tagcheck", &["@"], "art/Dockerfile", Checker)],
        "buildspec" => vec![reader("ecs-tagcheck", &["@"], "art/buildspec.yml", Checker)],
        "template" | "template.json" => {
            let slot = if kind == "template" {
                "art/pipeline.yaml"
            } else {
                "art/pipeline.json"
            };
            vec![
                reader("ecs-verify", &["pipeline-template", "@"], slot, Producer),
                reader(
                    "ecs-verify",
                    &["--pipeline-template", "@", "art"],
                    slot,
                    Producer,
                ),
                reader("ecs-tagcheck", &["@"], slot, Checker),
            ]
        }
        "zip" => vec![
            reader(
                "ecs-bundle",
                &["unpack", "@", "-d", "out"],
                "art.zip",
                Producer,
            ),
            reader("ecs-verify", &["--for", "ecs", "@"], "art.zip", Producer),
        ],
        "json" => {
            let mut all = readers("taskdef");
            all.extend(readers("imagedefs"));
            all.extend(readers("imagedetail"));
            all.extend([
                reader(
                    "ecs-verify",
                    &["--for", "ecs", "art", "--service-json", "@"],
                    "svc.json",
                    Producer,
                ),
                reader(
                    "ecs-verify",
                    &["--pipeline-json", "@", "art"],
                    "svc.json",
                    Producer,
                ),
            ]);
            all
        }
        "yaml" => {
            let mut all = readers("appspec");
            all.extend(taskdef("art/taskdef.yaml").into_iter().take(2));
            // ecs-tagcheck knows a template by its content, so a generic YAML document in the
            // template slot is a file of unknown kind (exit 2, by design); its YAML reading is
            // walked through the buildspec slot, a name it recognises.
            all.extend(
                readers("template")
                    .into_iter()
                    .filter(|reader| reader.program != "ecs-tagcheck"),
            );
            all.extend(readers("buildspec"));
            all
        }
        other => panic!("no readers for the corpus kind {other}"),
    }
}

/// Pairs that legitimately succeed, each with the reason; everything else must refuse.
pub(crate) const ACCEPTED: &[(&str, &str, &str)] = &[
    // ecs-tagcheck looks for image references, not for the shape of a pipeline.
    (
        "template/stages-wrong-type.yaml",
        "ecs-tagcheck",
        "no images to judge",
    ),
    (
        "template/actions-wrong-type.json",
        "ecs-tagcheck",
        "no images to judge",
    ),
    // ecs-tagcheck judges images; ports are `ecs-taskdef check`'s.
    (
        "taskdef/port-out-of-range.json",
        "ecs-tagcheck",
        "ports are not image tags",
    ),
    // ecs-imagedefs reads --taskdef for its container names; the port is not one of them.
    (
        "taskdef/port-out-of-range.json",
        "ecs-imagedefs",
        "only the names are read",
    ),
    // Well-formed JSON without `containerDefinitions` holds no image for ecs-tagcheck to judge
    // (a template may leave the containers to `ecs-taskdef render`).
    (
        "json/generated-huge-value",
        "ecs-tagcheck",
        "no images in it",
    ),
    ("json/generated-huge-key", "ecs-tagcheck", "no images in it"),
    // A folder is what ecs-tagcheck searches when given one.
    ("directory", "ecs-tagcheck", "folders are searched"),
];
