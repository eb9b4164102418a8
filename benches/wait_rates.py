"""`ecs-pipeline wait` fifty at once, each following its own service's rolling ECS deployment
for SECONDS with the default interval, against a local endpoint of the CodePipeline and ECS
calls it makes (benches/compare.sh, BENCH_ONLY=wait). The endpoint speaks both services' JSON
1.1 protocol in the shapes of the tests' endpoints (tests/support/codepipeline_endpoint.rs,
tests/support/deploy_endpoint.rs): every pipeline's execution `e-1` has its ECS Deploy action
in progress and its service's deployment half rolled out, for as long as the run lasts. Prints
one line per rate-limit group: its name, the calls per second that arrived over the run, the
published rate (docs/performance.md, "Following a deployment") and the calls of its busiest
second.

    python benches/wait_rates.py PATH/TO/ecs-pipeline SECONDS
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROGRAM, SECONDS = sys.argv[1], int(sys.argv[2])
WAITS = 50
DEPLOY_STARTED = 1_765_108_800
REVISION = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
TASK_DEFINITION = "arn:aws:ecs:us-east-1:123456789012:task-definition/{}:8"
ROLLOUT = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/{}/2"
# Each service's published rate and the operations it counts against it (the groups and rates
# of docs/performance.md, "Following a deployment").
GROUPS = [
    ("CodePipeline calls", 20, {"GetPipeline", "GetPipelineExecution", "ListActionExecutions"}),
    ("ECS service reads", 20, {"DescribeServices", "DescribeServiceDeployments", "ListServiceDeployments"}),
    ("ECS task reads", 20, {"ListTasks", "DescribeTasks"}),
]
calls = []
calls_lock = threading.Lock()


def pipeline(name):
    source = {"category": "Source", "owner": "AWS", "provider": "CodeStarSourceConnection", "version": "1"}
    deploy = {"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"}
    return {"pipeline": {
        "name": name, "roleArn": "arn:aws:iam::123456789012:role/pipeline", "version": 1,
        "stages": [
            {"name": "Source", "actions": [{"name": "Source", "actionTypeId": source}]},
            {"name": "Deploy", "actions": [{
                "name": "Rolling", "actionTypeId": deploy,
                "configuration": {"ClusterName": "prod", "ServiceName": name, "FileName": "imagedefinitions.json"},
            }]},
        ],
    }}


def execution(name, execution_id):
    return {"pipelineExecution": {
        "pipelineName": name, "pipelineVersion": 1, "pipelineExecutionId": execution_id,
        "status": "InProgress",
        "artifactRevisions": [{"name": "SourceArtifact", "revisionId": REVISION, "revisionSummary": "Commit 1a2b3c4"}],
    }}


def action_executions(execution_id):
    return {"actionExecutionDetails": [
        {"pipelineExecutionId": execution_id, "stageName": "Deploy", "actionName": "Rolling",
         "status": "InProgress", "startTime": DEPLOY_STARTED,
         "output": {"executionResult": {"externalExecutionSummary": "deployment d-1",
                                        "externalExecutionUrl": "https://example.com/d-1"}}},
        {"pipelineExecutionId": execution_id, "stageName": "Source", "actionName": "Source", "status": "Succeeded"},
    ]}


def deployment(deployment_id, status, revision, rollout, counts, seconds):
    desired, running, pending, failed = counts
    return {"id": deployment_id, "status": status, "taskDefinition": revision, "desiredCount": desired,
            "runningCount": running, "pendingCount": pending, "failedTasks": failed,
            "createdAt": DEPLOY_STARTED + seconds, "rolloutState": rollout}


def services(name):
    new = TASK_DEFINITION.format(name)
    old = new.replace(":8", ":7")
    return {"services": [{
        "serviceName": name, "serviceArn": f"arn:aws:ecs:us-east-1:123456789012:service/prod/{name}",
        "status": "ACTIVE", "events": [],
        "deployments": [
            deployment("ecs-svc/2", "PRIMARY", new, "IN_PROGRESS", (2, 1, 1, 0), 5),
            deployment("ecs-svc/1", "ACTIVE", old, "COMPLETED", (2, 2, 0, 0), -86_400),
        ],
    }], "failures": []}


def rollout(arn):
    return {"serviceDeploymentArn": arn, "createdAt": DEPLOY_STARTED + 5, "status": "IN_PROGRESS",
            "lifecycleStage": "SCALE_UP",
            "alarms": {"status": "MONITORING", "alarmNames": [], "triggeredAlarmNames": []}}


def answer(operation, body):
    name = body.get("name") or body.get("pipelineName")
    execution_id = body.get("pipelineExecutionId") or body.get("filter", {}).get("pipelineExecutionId")
    service = (body.get("services") or [body.get("service", "")])[0].rsplit("/", 1)[-1]
    answers = {
        "GetPipeline": lambda: pipeline(name),
        "GetPipelineExecution": lambda: execution(name, execution_id),
        "ListActionExecutions": lambda: action_executions(execution_id),
        "DescribeServices": lambda: services(service),
        "ListTasks": lambda: {"taskArns": []},
        "DescribeTasks": lambda: {"tasks": [], "failures": []},
        "ListServiceDeployments": lambda: {"serviceDeployments": [{
            "serviceDeploymentArn": ROLLOUT.format(service), "createdAt": DEPLOY_STARTED + 5,
            "status": "IN_PROGRESS"}]},
        "DescribeServiceDeployments": lambda: {
            "serviceDeployments": [rollout(arn) for arn in body.get("serviceDeploymentArns", [])],
            "failures": []},
    }
    if operation not in answers:
        return 400, {"__type": "UnknownOperationException", "message": operation}
    return 200, answers[operation]()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        operation = self.headers.get("x-amz-target", "").rsplit(".", 1)[-1]
        with calls_lock:
            calls.append((time.monotonic(), operation))
        status, answered = answer(operation, body)
        payload = json.dumps(answered).encode()
        self.send_response(status)
        self.send_header("content-type", "application/x-amz-json-1.1")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main():
    # SIGTERM ends the run as Ctrl-C does, through the cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
               AWS_EC2_METADATA_DISABLED="true",
               AWS_ENDPOINT_URL_CODEPIPELINE=url, AWS_ENDPOINT_URL_ECS=url)
    with tempfile.TemporaryDirectory() as logs:
        started = time.monotonic()
        waits = []
        try:
            for number in range(1, WAITS + 1):
                with open(os.path.join(logs, f"{number}.err"), "w", encoding="utf-8") as err:
                    waits.append(subprocess.Popen(
                        [PROGRAM, "wait", "--pipeline", f"web-{number}", "--execution-id", "e-1",
                         "--timeout", f"{SECONDS}s"],
                        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err))
            # A wait that outlives its own timeout by a minute is a hang, reported below.
            deadline = time.monotonic() + SECONDS + 60
            codes = []
            for wait in waits:
                try:
                    codes.append(wait.wait(timeout=max(0, deadline - time.monotonic())))
                except subprocess.TimeoutExpired:
                    codes.append("was still running a minute after its timeout")
        finally:
            # Interrupted or not, no wait outlives the run.
            for wait in waits:
                if wait.poll() is None:
                    wait.kill()
                    wait.wait()
        elapsed = time.monotonic() - started
        for number, code in enumerate(codes, 1):
            with open(os.path.join(logs, f"{number}.err"), encoding="utf-8") as err:
                said = err.read()
            # Each wait must have followed its service until its timeout (exit 2), no other way.
            if code != 2 or f"following ECS service prod/web-{number}" not in said or "did not end within" not in said:
                status = f"exited {code}" if isinstance(code, int) else code
                sys.exit(f"wait_rates.py: wait {number} {status} without following its deployment to its timeout:\n{said}")
    with calls_lock:
        made = list(calls)
    unknown = sorted({operation for _, operation in made} - set().union(*(operations for _, _, operations in GROUPS)))
    if unknown:
        sys.exit(f"wait_rates.py: calls outside every group: {', '.join(unknown)}")
    for name, published, operations in GROUPS:
        times = [int(at - started) for at, operation in made if operation in operations]
        busiest = max((times.count(second) for second in set(times)), default=0)
        print(f"{name}\t{len(times) / elapsed:.2f}\t{published}\t{busiest}")


main()
