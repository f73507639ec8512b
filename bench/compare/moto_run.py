"""Times bench/workloads on moto's Step Functions interpreter, in process.

usage: python moto_run.py WORKLOADS_DIR NAME RUNS  -> prints the median in ms
"""
import json
import sys
import time

import boto3
from moto import mock_aws

directory, name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
definition = open(f"{directory}/{name}.asl.json").read()
payload = open(f"{directory}/{name}.input.json").read()

with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
    sfn = boto3.client("stepfunctions", region_name="us-east-1")
    arn = sfn.create_state_machine(
        name="bench", definition=definition, roleArn="arn:aws:iam::123456789012:role/bench", type="EXPRESS"
    )["stateMachineArn"]
    times = []
    # One untimed run first (warm-up), as every harness does.
    for i in range(runs + 1):
        t0 = time.perf_counter()
        execution = sfn.start_execution(stateMachineArn=arn, name=f"run{i}", input=payload)["executionArn"]
        while True:
            status = sfn.describe_execution(executionArn=execution)["status"]
            if status != "RUNNING":
                break
            time.sleep(0.0005)
        if i > 0:
            times.append((time.perf_counter() - t0) * 1000)
        if status != "SUCCEEDED":
            print(f"moto: {name} ended {status}", file=sys.stderr)
            sys.exit(1)
    times.sort()
    print(f"{times[len(times) // 2]:.3f}")
