"""The shipped workflows' mock test cases, driven through `sfc serve` with
boto3 the way Step Functions Local suites drive it: create the state
machine, start each case with `<stateMachineArn>#<TestCase>`, poll
DescribeExecution, read GetExecutionHistory, and check the expectations
`sfc test` checks (status, error, cause, output subset, states entered).

Usage: python shipped_workflows.py PATH/TO/sfc   (from the repository root)
Each workflow gets its own server on a free loopback port, stopped after.
"""
import json
import pathlib
import re
import subprocess
import sys
import time

import boto3
from botocore.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[2]
ROLE = "arn:aws:iam::123456789012:role/sfc-python-suite"


def start_server(sfc, mocks):
    # A long Wait or mock delay at this scale: an hour is 0.36 s.
    proc = subprocess.Popen(
        [sfc, "serve", "--port", "0", "--mocks", str(mocks), "--time-scale", "0.0001"],
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stderr.readline()
    found = re.search(r"http://([0-9.]+:[0-9]+)", line)
    if not found:
        proc.kill()
        raise RuntimeError(f"sfc serve did not start: {line!r}")
    return proc, "http://" + found.group(1)


def client(endpoint):
    return boto3.client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(inject_host_prefix=False, retries={"max_attempts": 1}),
    )


def contains(got, want):
    """`got` holds every key of `want`, recursively (as `sfc test` checks)."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and contains(got[k], v) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(contains(a, b) for a, b in zip(got, want))
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and float(got) == float(want)
    return got == want


def finished(sfn, arn, limit=60.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.01)
    raise RuntimeError(f"{arn} still running after {limit} s")


def history(sfn, arn):
    events, token = [], None
    while True:
        page = sfn.get_execution_history(executionArn=arn, maxResults=1000, **({"nextToken": token} if token else {}))
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            return events


def problems(x, d, events):
    out = []
    if d["status"] != x.get("status", "SUCCEEDED"):
        out.append(f"status: expected {x.get('status', 'SUCCEEDED')}, got {d['status']} ({d.get('error')}: {d.get('cause')})")
    if "error" in x and d.get("error") != x["error"]:
        out.append(f"error: expected {x['error']}, got {d.get('error')}")
    if "cause" in x and x["cause"] not in (d.get("cause") or ""):
        out.append(f"cause: expected text containing {x['cause']!r}, got {d.get('cause')!r}")
    if "output" in x:
        got = json.loads(d["output"]) if "output" in d else None
        if not contains(got, x["output"]):
            out.append(f"output: expected it to contain {x['output']}, got {got}")
    if "states" in x:
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]
        if entered != x["states"]:
            out.append(f"states: expected {x['states']}, got {entered}")
    return out


def run_workflow(sfc, asl, results):
    mocks = ROOT / "fixtures" / "mocks" / (asl.name.replace(".asl.json", ".json"))
    config = json.loads(mocks.read_text())
    (machine,) = config["StateMachines"].keys()
    proc, endpoint = start_server(sfc, mocks)
    try:
        sfn = client(endpoint)
        arn = sfn.create_state_machine(name=machine, definition=asl.read_text(), roleArn=ROLE)["stateMachineArn"]
        expectations = config.get("Expectations", {}).get(machine, {})
        for case in sorted(config["StateMachines"][machine]["TestCases"]):
            x = expectations.get(case, {})
            given = x.get("input", {})
            data = json.loads((mocks.parent / given).read_text()) if isinstance(given, str) else given
            started = sfn.start_execution(stateMachineArn=f"{arn}#{case}", name=case, input=json.dumps(data))
            d = finished(sfn, started["executionArn"])
            results.append((machine, case, problems(x, d, history(sfn, started["executionArn"]))))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    sfc = sys.argv[1]
    results = []
    for asl in sorted((ROOT / "fixtures" / "workflows").glob("*.asl.json")):
        run_workflow(sfc, asl, results)
    for machine, case, found in results:
        print(f"{'FAIL' if found else 'PASS'} {machine} / {case}")
        for p in found:
            print(f"     {p}")
    failed = sum(1 for _, _, found in results if found)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
