"""The IAM policy simulation the live-check benchmark needs and moto does not serve
(benches/compare.sh, BENCH_ONLY=live): a local HTTP endpoint speaking IAM's query protocol that
answers `SimulatePrincipalPolicy` with every decision `allowed` and passes every other request
on to moto unchanged, the way the tests' endpoint does (tests/support/iam_endpoint.rs). It
prints its URL, then appends one line to COUNT_FILE per simulation it answers.

    python benches/live_endpoint.py MOTO_URL COUNT_FILE
"""

import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

MOTO, COUNT_FILE = sys.argv[1].rstrip("/"), sys.argv[2]


def simulation(form):
    actions = [v for k, v in form if k.startswith("ActionNames.member.")]
    resources = [v for k, v in form if k.startswith("ResourceArns.member.")] or ["*"]
    members = "".join(
        f"<member><EvalActionName>{a}</EvalActionName><EvalResourceName>{r}</EvalResourceName>"
        "<EvalDecision>allowed</EvalDecision><MatchedStatements/><MissingContextValues/></member>"
        for a in actions for r in resources
    )
    return (
        '<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
        "<SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated>"
        f"<EvaluationResults>{members}</EvaluationResults></SimulatePrincipalPolicyResult>"
        "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, headers, body):
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self, body):
        request = urllib.request.Request(MOTO + self.path, data=body, method=self.command)
        for name, value in self.headers.items():
            if name.lower() not in ("host", "content-length", "connection"):
                request.add_header(name, value)
        try:
            with urllib.request.urlopen(request) as answer:
                self.answer(answer.status, answer.getheaders(), answer.read())
        except urllib.error.HTTPError as error:
            self.answer(error.code, error.headers.items(), error.read())

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        form = parse_qsl(body.decode("utf-8", "replace"))
        if dict(form).get("Action") == "SimulatePrincipalPolicy":
            with open(COUNT_FILE, "a", encoding="utf-8") as count:
                count.write("SimulatePrincipalPolicy\n")
            self.answer(200, [("content-type", "text/xml")], simulation(form))
        else:
            self.forward(body)

    def do_GET(self):
        self.forward(None)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
