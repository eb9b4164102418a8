"""The account of the live-check benchmark (benches/compare.sh, BENCH_ONLY=live), made on the
local endpoint with boto3: two roles trusting ECS tasks, a log group, ten SSM parameters, ten
Secrets Manager secrets and ten ECR images; and in DIR the ECS action's artifact (build/
imagedefinitions.json) and the service's task definition (taskdef.json) of ten containers
using them, two secrets each.

    python benches/live_account.py DIR
"""

import json
import os
import sys

import boto3

CONTAINERS = 10
MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {
        "mediaType": "application/vnd.docker.container.image.v1+json",
        "size": 7023,
        "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7",
    },
    "layers": [],
})


def main(folder):
    region = os.environ["AWS_REGION"]
    iam = boto3.client("iam")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    roles = [iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
             for name in ("bench-task", "bench-execution")]
    boto3.client("logs").create_log_group(logGroupName="/ecs/bench")
    ssm, secrets, ecr = boto3.client("ssm"), boto3.client("secretsmanager"), boto3.client("ecr")
    ecr.create_repository(repositoryName="bench")
    containers, images = [], []
    for i in range(CONTAINERS):
        ssm.put_parameter(Name=f"/bench/p{i}", Type="SecureString", Value="x")
        secret = secrets.create_secret(Name=f"bench/s{i}", SecretString="x")["ARN"]
        ecr.put_image(repositoryName="bench", imageTag=f"c{i}", imageManifest=MANIFEST,
                      imageManifestMediaType="application/vnd.docker.distribution.manifest.v2+json")
        account = roles[0].split(":")[4]
        image = f"{account}.dkr.ecr.{region}.amazonaws.com/bench:c{i}"
        images.append({"name": f"c{i}", "imageUri": image})
        containers.append({
            "name": f"c{i}", "image": image, "essential": i == 0,
            "secrets": [{"name": "P", "valueFrom": f"/bench/p{i}"}, {"name": "S", "valueFrom": secret}],
            "logConfiguration": {"logDriver": "awslogs",
                                 "options": {"awslogs-group": "/ecs/bench", "awslogs-stream-prefix": f"c{i}"}},
        })
    taskdef = {"family": "bench", "taskRoleArn": roles[0], "executionRoleArn": roles[1],
               "containerDefinitions": containers}
    os.makedirs(os.path.join(folder, "build"), exist_ok=True)
    with open(os.path.join(folder, "taskdef.json"), "w") as f:
        json.dump(taskdef, f)
    with open(os.path.join(folder, "build", "imagedefinitions.json"), "w") as f:
        json.dump(images, f)


if __name__ == "__main__":
    main(sys.argv[1])
