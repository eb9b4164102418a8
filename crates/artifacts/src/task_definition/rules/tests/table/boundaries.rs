//! The property behind the numeric and length rows of `docs/ecs-rules.md`: a definition valid
//! for its launch type, network mode, operating system and CPU architecture, with one member set
//! at or near a documented limit, passes; set one step or more past the limit, it fails with
//! exactly the table's rule, at the member's place. `limits.rs` lists the limits.

use proptest::prelude::*;

use super::limit::Boundary;
use super::limits::boundaries;
use super::platforms::{Platform, document, platforms};
use super::{check_all, errors};

/// One generated case: `boundary` on `platform`, `steps` from the limit of its side `side`,
/// inside (valid) or outside.
#[derive(Clone, Copy, Debug)]
struct Case {
    boundary: usize,
    platform: Platform,
    side: usize,
    valid: bool,
    steps: i64,
}

/// What went wrong with one case, if anything.
fn judge(boundaries: &[Boundary], case: Case) -> Option<String> {
    let boundary = &boundaries[case.boundary];
    let side = boundary.sides[case.side % boundary.sides.len()];
    let value = if case.valid {
        side.limit - side.outward * (case.steps % (side.inward + 1))
    } else {
        side.limit + side.outward * (1 + case.steps % 3)
    };
    if value < boundary.floor {
        return None;
    }
    let mut document = document(case.platform);
    (boundary.set)(&mut document, case.platform, value);
    let errors = errors(&check_all(&document, false));
    let expected = format!("{} @ {}", boundary.rule, boundary.at);
    let right = if case.valid {
        errors.is_empty()
    } else {
        !errors.is_empty() && errors.iter().all(|error| *error == expected)
    };
    (!right).then(|| {
        let wanted = if case.valid { "no error" } else { &expected };
        format!(
            "{} = {value} on {:?}: expected {wanted}, got {errors:?}",
            boundary.rule, case.platform
        )
    })
}

/// The cases of one boundary on every platform it applies to, at the limit and one step past.
fn edges(boundaries: &[Boundary], index: usize) -> Vec<Case> {
    let platforms = platforms();
    let boundary = &boundaries[index];
    let mut cases = Vec::new();
    for platform in platforms.into_iter().filter(|p| (boundary.applies)(*p)) {
        for side in 0..boundary.sides.len() {
            for valid in [true, false] {
                cases.push(Case {
                    boundary: index,
                    platform,
                    side,
                    valid,
                    steps: 0,
                });
            }
        }
    }
    cases
}

#[test]
fn every_limit_passes_and_one_step_past_fails_on_every_platform() {
    let boundaries = boundaries();
    let cases: Vec<Case> = (0..boundaries.len())
        .flat_map(|index| edges(&boundaries, index))
        .collect();
    assert!(cases.len() > 500, "{} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| judge(&boundaries, *case))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A boundary, a platform it applies to, a side, valid or not, and up to three steps.
fn cases() -> impl Strategy<Value = Case> {
    let count = boundaries().len();
    (0..count).prop_flat_map(|boundary| {
        let platforms: Vec<Platform> = platforms()
            .into_iter()
            .filter(|p| (boundaries()[boundary].applies)(*p))
            .collect();
        (
            prop::sample::select(platforms),
            0..2_usize,
            any::<bool>(),
            0..4_i64,
        )
            .prop_map(move |(platform, side, valid, steps)| Case {
                boundary,
                platform,
                side,
                valid,
                steps,
            })
    })
}

proptest! {
    // Each case is one check of a small definition (a 64 KiB one for `too-large`): 512 cases
    // take about a second in a debug build.
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn near_a_limit_the_check_agrees_with_the_table(case in cases()) {
        let boundaries = boundaries();
        if let Some(failure) = judge(&boundaries, case) {
            prop_assert!(false, "{}", failure);
        }
    }
}
