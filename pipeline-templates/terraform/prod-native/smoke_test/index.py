import json
import os
import ssl
import time
import urllib.error
import urllib.request

URL = os.environ["TEST_URL"]
ATTEMPTS = int(os.environ.get("ATTEMPTS", "5"))


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


def handler(event, context):
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
