"""Times bench/workloads on moto's Step Functions interpreter, in process.

usage: python moto_run.py WORKLOADS_DIR NAME RUNS  -> prints the median in ms
"""
import json
import sys
import time

import boto3
from moto import mock_aws

# How long every harness of bench/compare.sh runs a workload untimed first.
WARM_UP_S = 0.2

directory, name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
definition = open(f"{directory}/{name}.asl.json").read()
payload = open(f"{directory}/{name}.input.json").read()

with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
    sfn = boto3.client("stepfunctions", region_name="us-east-1")
    arn = sfn.create_state_machine(
        name="bench", definition=definition, roleArn="arn:aws:iam::123456789012:role/bench", type="EXPRESS"
    )["stateMachineArn"]
    counter = iter(range(10**9))

    def run_once():
        """One execution to its end, in ms."""
        t0 = time.perf_counter()
        execution = sfn.start_execution(stateMachineArn=arn, name=f"run{next(counter)}", input=payload)["executionArn"]
        while True:
            status = sfn.describe_execution(executionArn=execution)["status"]
            if status != "RUNNING":
                break
            time.sleep(0.0005)
        if status != "SUCCEEDED":
            print(f"moto: {name} ended {status}", file=sys.stderr)
            sys.exit(1)
        return (time.perf_counter() - t0) * 1000

    # Untimed runs first (warm-up), as every harness does: at least one,
    # and for at least WARM_UP_S.
    warm_until = time.perf_counter() + WARM_UP_S
    run_once()
    while time.perf_counter() < warm_until:
        run_once()
    times = sorted(run_once() for _ in range(runs))
    print(f"{times[len(times) // 2]:.3f}")
