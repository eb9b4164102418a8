import json
import os
import ssl
import time
import urllib.error
import urllib.request

import boto3

URL = os.environ["TEST_URL"]
ATTEMPTS = int(os.environ.get("ATTEMPTS", "5"))
# The image of the service's first task definition. CloudFormation names the stack's task
# definition on every UpdateService, so any stack update of the service would otherwise deploy
# it over the release in production.
BOOTSTRAP_IMAGE = os.environ.get("BOOTSTRAP_IMAGE", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    # A 3xx is the new revision's answer; following it could leave the test listener.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def tls_context():
    context = ssl.create_default_context()
    if os.environ.get("VERIFY_HOSTNAME") == "false":
        context.check_hostname = False
    return context


def probe(opener):
    try:
        with opener.open(URL, timeout=5) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, ""
    except (urllib.error.URLError, OSError) as error:
        return None, str(error)


def replaces_a_release_with_the_bootstrap_image(event):
    """True when the revision under test runs BOOTSTRAP_IMAGE while another revision serves
    production: a first deployment (nothing in production yet) may run it."""
    target = event.get("targetServiceRevisionArn")
    serving = [arn for arn, weight in (event.get("productionTrafficWeights") or {}).items()
               if arn != target and weight]
    if not BOOTSTRAP_IMAGE or not target or not serving:
        return False
    ecs = boto3.client("ecs")
    revision = ecs.describe_service_revisions(serviceRevisionArns=[target])["serviceRevisions"][0]
    definition = ecs.describe_task_definition(taskDefinition=revision["taskDefinition"])
    images = [c["image"] for c in definition["taskDefinition"]["containerDefinitions"]]
    return BOOTSTRAP_IMAGE in images


def handler(event, context):
    if replaces_a_release_with_the_bootstrap_image(event):
        print(json.dumps({
            "serviceArn": event.get("serviceArn"),
            "targetServiceRevisionArn": event.get("targetServiceRevisionArn"),
            "refused": f"the revision runs the bootstrap image {BOOTSTRAP_IMAGE}",
        }))
        return {"hookStatus": "FAILED"}
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=tls_context()), NoRedirect())
    results = []
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(2)
        status, error = probe(opener)
        results.append({"status": status, "error": error})
    passed = all(r["status"] is not None and 200 <= r["status"] < 400 for r in results)
    print(json.dumps({
        "serviceArn": event.get("serviceArn"),
        "targetServiceRevisionArn": event.get("targetServiceRevisionArn"),
        "testTrafficWeights": event.get("testTrafficWeights"),
        "url": URL,
        "results": results,
        "passed": passed,
    }))
    return {"hookStatus": "SUCCEEDED" if passed else "FAILED"}
