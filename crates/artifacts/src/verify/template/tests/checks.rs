//! The checks of sources, variables and projects, on the fixture of `tests.rs`.

use super::*;

#[test]
fn ecr_sources_track_a_tag_that_only_releases_move() {
    assert_eq!(
        found(&[("ImageTag: !Ref Tag", "ImageTag: latest")], &[])[0].0,
        "ecr-source-tracks-latest"
    );
    assert_eq!(
        found(&[(", ImageTag: !Ref Tag", "")], &[])[0].0,
        "ecr-source-tracks-latest"
    );
    let mutable = found(&[("IMMUTABLE_WITH_EXCLUSION", "MUTABLE")], &[]);
    assert_eq!(mutable[0], (ECR_SOURCE_MUTABLE_TAG, "Source/Image tracks `release` in repository `Repo`, whose tags are mutable (MUTABLE): any push can move it, and every other tag with it".to_owned()));
    let pinned = check_with(
        &TEMPLATE.replace("IMMUTABLE_WITH_EXCLUSION", "IMMUTABLE"),
        BUILDSPEC,
    );
    assert_eq!(pinned[0].severity, crate::finding::Severity::Warning);
    assert!(
        pinned[0]
            .message
            .ends_with("it can be pushed once, so the pipeline starts once")
    );
}

#[test]
fn primary_source_and_source_folders() {
    let none = found(&[(", PrimarySource: ConfigSource", "")], &[]);
    assert_eq!(none[0], (PRIMARY_SOURCE, "Build/Render has 2 input artifacts (`ConfigSource`, `ImageSource`) and no `PrimarySource`".to_owned()));
    let typo = found(
        &[("PrimarySource: ConfigSource", "PrimarySource: ConfigSourc")],
        &[],
    );
    assert!(
        typo.iter().any(|(rule, m)| *rule == PRIMARY_SOURCE
            && m.starts_with("`PrimarySource` `ConfigSourc` is not an input artifact")),
        "{typo:?}"
    );
    let folder = found(
        &[],
        &[(
            "$CODEBUILD_SRC_DIR_ImageSource",
            "$CODEBUILD_SRC_DIR_ImageSrc",
        )],
    );
    assert_eq!(folder[0].0, SOURCE_DIRECTORY);
    assert!(folder[0].1.contains("`CODEBUILD_SRC_DIR_ImageSrc`, and `ImageSrc` is not a secondary input artifact of Build/Render; they are `ImageSource`"));
    let primary = found(
        &[],
        &[(
            "$CODEBUILD_SRC_DIR_ImageSource",
            "$CODEBUILD_SRC_DIR_ConfigSource",
        )],
    );
    assert!(
        primary[0]
            .1
            .contains("`ConfigSource` is the primary source of Build/Render")
    );
}

#[test]
fn variables_come_from_earlier_actions_that_output_them() {
    let unknown = found(
        &[(
            "#{RenderVariables.IMAGE_URI}",
            "#{RenderVariable.IMAGE_URI}",
        )],
        &[],
    );
    assert_eq!(unknown[0].0, VARIABLE_NAMESPACE);
    assert!(
        unknown[0]
            .1
            .contains("names namespace `RenderVariable`, which no action of the pipeline declares")
    );
    let unexported = found(
        &[(
            "#{RenderVariables.IMAGE_URI}",
            "#{RenderVariables.IMAGE_DIGEST}",
        )],
        &[],
    );
    assert_eq!(unexported[0].0, EXPORTED_VARIABLE);
    assert!(unexported[0].1.contains("reads `IMAGE_DIGEST` from Build/Render, and render.yml does not export it; `env.exported-variables` has `IMAGE_URI`"));
    let ecr = found(
        &[("#{ImageVariables.ImageTag}", "#{ImageVariables.ImageUri}")],
        &[],
    );
    assert!(
        ecr[0].1.ends_with(
            "which outputs `RegistryId`, `RepositoryName`, `ImageTag`, `ImageDigest`, `ImageURI`"
        ),
        "{ecr:?}"
    );
    // The same stage and runOrder run side by side.
    let same_time = found(
        &[(
            "Provider: S3, Version: '1'}",
            "Provider: S3, Version: '1'}\n              Configuration: {S3ObjectKey: '#{ImageVariables.ImageTag}.zip'}",
        )],
        &[],
    );
    assert_eq!(same_time[0].0, VARIABLE_NAMESPACE);
    assert!(
        same_time[0].1.contains(
            "in Source/Config reads the namespace of Source/Image, which does not run before it"
        ),
        "{same_time:?}"
    );
    let later = found(
        &[
            (
                "Configuration: {CustomData:",
                "RunOrder: 2\n              Configuration: {CustomData:",
            ),
            (
                "- Name: BlueGreen\n              RunOrder: 2",
                "- Name: BlueGreen\n              Namespace: Late\n              RunOrder: 2",
            ),
            ("of #{ImageVariables.ImageTag}", "of #{Late.X}"),
        ],
        &[],
    );
    assert!(
        later[0]
            .1
            .contains("reads the namespace of Deploy/BlueGreen, which does not run before it"),
        "{later:?}"
    );
    assert_eq!(
        found(
            &[(
                "of #{ImageVariables.ImageTag}",
                "of #{codepipeline.PipelineExecutionId}"
            )],
            &[]
        ),
        []
    );
}

#[test]
fn projects_and_buildspecs_out_of_reach_are_a_warning() {
    let elsewhere = found(
        &[("ProjectName: !Ref Render", "ProjectName: shared-render")],
        &[],
    );
    assert_eq!(elsewhere[0], (CODEBUILD_PROJECT, "project `shared-render` is not defined in this template, so its buildspec is not checked".to_owned()));
    let by_name = found(
        &[(
            "ProjectName: !Ref Render",
            "ProjectName: !Sub '${AWS::StackName}-render'",
        )],
        &[],
    );
    assert_eq!(by_name, []);
    let s3 = Template::read(
        TEMPLATE
            .replace(
                "BuildSpec: render.yml",
                "BuildSpec: arn:aws:s3:::b/render.yml",
            )
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(s3.buildspec_files(), []);
    let checked = s3.check(&BTreeMap::new());
    assert!(
        checked[0]
            .message
            .contains("the S3 object `arn:aws:s3:::b/render.yml`, which this check cannot read")
    );
    let inline = TEMPLATE.replace(
        "BuildSpec: render.yml}",
        &format!(
            "BuildSpec: {}}}",
            serde_json::to_string(&BUILDSPEC.replace("version: 0.2", "version: 0.1")).unwrap()
        ),
    );
    let checked = check_with(&inline, BUILDSPEC);
    assert_eq!(checked.len(), 1, "{checked:?}");
    assert_eq!(checked[0].rule, BUILDSPEC_VERSION);
    assert_eq!(
        checked[0].location_str(),
        Some(
            "Resources.Pipeline.Stages[Build].Actions[Render].Configuration.ProjectName, Resources.Render.Properties.Source.BuildSpec:1"
        )
    );
}
