//! The ECS (rolling) action: one input artifact with `imagedefinitions.json` at its root.
//! Source: CodePipeline action reference "Amazon Elastic Container Service" and "Image
//! definitions file reference" (`docs/aws/artifact-formats.md#imagedefinitionsjson`).

use super::{Artifact, Options, Verification, place};
use crate::actions::blue_green::IMAGE_DETAIL;
use crate::actions::ecs::INPUT_ARTIFACTS;
use crate::finding::Finding;
use crate::image_files::definitions;
use crate::location::JsonPath;

pub(super) fn verify(
    artifacts: &[Artifact],
    file_name: &str,
    options: &Options,
    verification: &mut Verification,
) {
    let [artifact] = artifacts else {
        verification.add(
            "the action",
            Finding::error(
                "input-artifacts",
                format!(
                    "the ECS action reads exactly {INPUT_ARTIFACTS} input artifact, and {} were given",
                    artifacts.len()
                ),
            )
            .help("give the build output artifact that holds the image definitions file"),
        );
        return;
    };
    let Some(bytes) = artifact.file(file_name) else {
        let finding = Finding::error(
            "missing-file",
            format!(
                "`{file_name}` is not at the root of artifact `{}`",
                artifact.name
            ),
        );
        // The action's own words: "Did not find the image definition file … in the input artifacts ZIP file".
        let finding = if artifact.file(IMAGE_DETAIL).is_some() {
            finding.help(format!(
                "the artifact holds `{IMAGE_DETAIL}`, which is for the Blue/Green action; the ECS action reads `{file_name}` (write it with ecs-imagedefs NAME=IMAGE)"
            ))
        } else {
            finding.help(format!(
                "the action fails with `Did not find the image definition file {file_name} in the input artifacts ZIP file`: list it under `artifacts.files` in the buildspec, at the artifact root"
            ))
        };
        verification.add(artifact.name.clone(), finding);
        return;
    };
    let path = place(artifact, file_name);
    let checked = definitions::check(bytes, options.policy);
    verification.extend(&path, checked.findings);
    if let (Some(list), Some(containers)) = (&checked.value, &options.service_containers) {
        verification.extend(
            &path,
            definitions::check_against_containers(list, containers)
                .into_iter()
                .map(|(index, finding)| finding.at(JsonPath::root().index(index).key("name"))),
        );
    }
}
