//! How fast image references and image files are parsed and checked.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::image_files::definitions::{self, ImageDefinition};
use deploykit_artifacts::image_reference::ImageReference;

const REFERENCES: [&str; 6] = [
    "nginx",
    "nginx:1.27-alpine",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:4f2a9c1",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:7d2a1f0c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29",
    "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
    "[fe80::1]:5000/a/b/c:v1@sha256:7d2a1f0c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29",
];

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("image_reference");
    group.bench_function("parse 6 references", |b| {
        b.iter(|| {
            for reference in REFERENCES {
                black_box(ImageReference::parse(black_box(reference)).unwrap());
            }
        });
    });
    group.bench_function("parse and recognise ECR", |b| {
        b.iter(|| {
            let reference = ImageReference::parse(black_box(REFERENCES[3])).unwrap();
            black_box(reference.ecr().map(|ecr| ecr.region.map(str::len)));
        });
    });
    group.bench_function("refuse an invalid reference", |b| {
        b.iter(|| {
            black_box(ImageReference::parse(black_box("ghcr.io/Team/Web:feature/x")).unwrap_err())
        });
    });
    group.finish();
}

fn image_files(c: &mut Criterion) {
    let ten: Vec<ImageDefinition> = (0..10)
        .map(|i| ImageDefinition {
            name: format!("container-{i}"),
            image_uri: format!("{}-{i}", REFERENCES[2]),
        })
        .collect();
    let rendered = definitions::render(&ten);
    c.bench_function("imagedefinitions: render 10 containers", |b| {
        b.iter(|| black_box(definitions::render(black_box(&ten))));
    });
    c.bench_function("imagedefinitions: check 10 containers", |b| {
        b.iter(|| {
            black_box(definitions::check(
                black_box(&rendered),
                TagPolicy::default(),
            ))
        });
    });
}

criterion_group!(benches, parse, image_files);
criterion_main!(benches);
