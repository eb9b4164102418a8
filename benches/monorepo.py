"""A deterministic monorepo for the image-tag scan comparison of benches/compare.sh.

    python3 benches/monorepo.py ROOT SERVICES

writes ROOT/ (about 25 files per service: a multi-stage Dockerfile with ARGs, a task
definition, a buildspec, a CloudFormation stack, a Terraform module, a GitHub workflow, sources
and a node_modules/ of noise) and ROOT.planted.json, the mistakes planted in it, one in every
second service, by kind in turn, each as {"kind", "path", "line"}: the line a checker should
point at. Outside the planted lines every image is tagged with a release and every repository
is immutable. node_modules/ holds Dockerfiles on `latest` that no scan of the repository should
report (tools that walk dependencies report noise). The same SERVICES give the same bytes.
"""

import json
import os
import random
import sys

ACCOUNT = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"

# Each kind: the file it is planted in, and the line that carries it (marked "<<").
KINDS = [
    "arg-hidden-latest",  # ARG NODE_TAG=latest, then FROM node:${NODE_TAG}: hadolint cannot see it
    "untagged-from",  # FROM python AS tools
    "taskdef-latest",  # "image": ".../svc:latest" in a task definition
    "cfn-latest",  # Image: .../svc:latest in an AWS::ECS::TaskDefinition
    "tf-latest",  # image = ".../svc:latest" in an aws_ecs_task_definition
    "workflow-latest",  # docker push $REPO:latest in a workflow's run step
    "buildspec-fallback",  # IMAGE_TAG=${COMMIT_HASH:=latest} (AWS's sample buildspec)
]


def dockerfile(name, kind):
    node = "ARG NODE_TAG=latest" if kind == "arg-hidden-latest" else "ARG NODE_TAG=20.11.1"
    tools = "FROM python AS tools" if kind == "untagged-from" else "FROM python:3.12.2-slim AS tools"
    return [
        "# syntax=docker/dockerfile:1.7",
        node,
        "ARG DISTROLESS=nonroot",
        "FROM node:${NODE_TAG} AS build  <<" if kind == "arg-hidden-latest" else "FROM node:${NODE_TAG} AS build",
        "WORKDIR /src",
        "COPY package.json ./",
        "RUN npm ci --omit=dev",
        "COPY src ./src",
        "RUN npm run build",
        tools + ("  <<" if kind == "untagged-from" else ""),
        "RUN pip install --no-cache-dir awscli==1.32.0",
        "ARG DISTROLESS",
        "FROM gcr.io/distroless/nodejs20-debian12:${DISTROLESS}",
        "COPY --from=build /src/dist /app",
        f'LABEL service="{name}"',
        'CMD ["/app/main.js"]',
    ]


def taskdef(name, kind):
    tag = "latest" if kind == "taskdef-latest" else "1.4.2"
    image = f'      "image": "{ACCOUNT}/{name}:{tag}",'
    return [
        "{",
        f'  "family": "{name}",',
        '  "networkMode": "awsvpc",',
        '  "requiresCompatibilities": ["FARGATE"],',
        '  "cpu": "256",',
        '  "memory": "512",',
        '  "containerDefinitions": [',
        "    {",
        f'      "name": "{name}",',
        image + ("  <<" if kind == "taskdef-latest" else ""),
        '      "essential": true,',
        '      "portMappings": [{"containerPort": 8080}]',
        "    }",
        "  ]",
        "}",
    ]


def buildspec(name, kind):
    fallback = "${COMMIT_HASH:=latest}" if kind == "buildspec-fallback" else "$CODEBUILD_RESOLVED_SOURCE_VERSION"
    return [
        "version: 0.2",
        "phases:",
        "  pre_build:",
        "    commands:",
        f"      - REPOSITORY_URI={ACCOUNT}/{name}",
        f"      - IMAGE_TAG={fallback}" + ("  <<" if kind == "buildspec-fallback" else ""),
        "  build:",
        "    commands:",
        f"      - docker build -t $REPOSITORY_URI:$IMAGE_TAG services/{name}",
        "      - docker push $REPOSITORY_URI:$IMAGE_TAG",
        "artifacts:",
        "  files:",
        f"    - services/{name}/taskdef.json",
    ]


def cloudformation(name, kind):
    tag = "latest" if kind == "cfn-latest" else "1.4.2"
    return [
        "AWSTemplateFormatVersion: '2010-09-09'",
        f"Description: {name} service",
        "Resources:",
        "  Repository:",
        "    Type: AWS::ECR::Repository",
        "    Properties:",
        f"      RepositoryName: {name}",
        "      ImageTagMutability: IMMUTABLE",
        "  TaskDefinition:",
        "    Type: AWS::ECS::TaskDefinition",
        "    Properties:",
        f"      Family: {name}",
        "      ContainerDefinitions:",
        f"        - Name: {name}",
        f"          Image: {ACCOUNT}/{name}:{tag}" + ("  <<" if kind == "cfn-latest" else ""),
        "          Essential: true",
    ]


def terraform(name, kind):
    tag = "latest" if kind == "tf-latest" else "1.4.2"
    return [
        f'resource "aws_ecr_repository" "{name}" {{',
        f'  name                 = "{name}"',
        '  image_tag_mutability = "IMMUTABLE"',
        "}",
        "",
        f'resource "aws_ecs_task_definition" "{name}" {{',
        f'  family = "{name}"',
        "  container_definitions = jsonencode([",
        "    {",
        f'      name      = "{name}"',
        f'      image     = "{ACCOUNT}/{name}:{tag}"' + ("  <<" if kind == "tf-latest" else ""),
        "      essential = true",
        "    }",
        "  ])",
        "}",
    ]


def workflow(name, kind):
    push = "latest" if kind == "workflow-latest" else "${{ github.sha }}"
    return [
        f"name: {name}",
        "on:",
        "  push:",
        "    branches: [main]",
        "jobs:",
        "  image:",
        "    runs-on: ubuntu-24.04",
        "    steps:",
        "      - uses: actions/checkout@v4",
        f"      - run: docker build -t {ACCOUNT}/{name}:${{{{ github.sha }}}} services/{name}",
        f"      - run: docker push {ACCOUNT}/{name}:{push}" + ("  <<" if kind == "workflow-latest" else ""),
    ]


def main():
    root, services = sys.argv[1], int(sys.argv[2])
    rng = random.Random(20261207)
    planted = []

    def write(path, lines):
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        text = []
        for number, line in enumerate(lines, 1):
            if line.endswith("  <<"):
                line = line[:-4]
                planted.append({"kind": kind, "path": path, "line": number})
            text.append(line)
        with open(full, "w", encoding="utf-8") as out:
            out.write("\n".join(text) + "\n")

    for i in range(services):
        name = f"svc-{i:04d}"
        kind = KINDS[(i // 2) % len(KINDS)] if i % 2 == 0 else None
        base = f"services/{name}"
        write(f"{base}/Dockerfile", dockerfile(name, kind))
        write(f"{base}/taskdef.json", taskdef(name, kind))
        write(f"{base}/buildspec.yml", buildspec(name, kind))
        write(f"infra/cloudformation/{name}.yaml", cloudformation(name, kind))
        write(f"infra/terraform/{name}/main.tf", terraform(name, kind))
        write(f".github/workflows/{name}.yml", workflow(name, kind))
        write(f"{base}/package.json", ['{"name": "%s", "version": "1.4.2"}' % name])
        for j in range(rng.randint(3, 7)):
            body = [f"export function handler{j}(event) {{"]
            body += [f"  const v{k} = event.value * {rng.randint(1, 999)};" for k in range(rng.randint(20, 120))]
            write(f"{base}/src/module-{j}.ts", body + ["  return event;", "}"])
        # Dependencies: noise a repository scan must pass over, including images on `latest`.
        for j in range(rng.randint(8, 14)):
            dep = f"{base}/node_modules/dep-{j:02d}"
            write(f"{dep}/package.json", ['{"name": "dep-%02d", "version": "0.0.%d"}' % (j, rng.randint(1, 99))])
            write(f"{dep}/index.js", [f"module.exports = {rng.randint(1, 10**6)};"] * rng.randint(5, 50))
            if j % 4 == 0:
                write(f"{dep}/Dockerfile", ["FROM node:latest", "COPY . /dep"])
        kind = None
    with open(root.rstrip("/") + ".planted.json", "w", encoding="utf-8") as out:
        json.dump(planted, out, indent=1)


if __name__ == "__main__":
    main()
