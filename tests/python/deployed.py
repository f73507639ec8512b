"""What `sfc deploy` left on a stand-in AWS (moto's server), read with
boto3 as a user's tooling would read it: the state machine, the roles
named sfc-NAME-*, with their trust and inline policies, the EventBridge
rules with their targets, the Scheduler schedules and the CloudWatch
alarms. Printed as one JSON document.

Usage: deployed.py ENDPOINT MACHINE_NAME
"""
import json
import sys

import boto3

url, name = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
prefix = f"sfc-{name}-"
out = {"machine": None, "roles": {}, "rules": [], "schedules": [], "alarms": []}

sfn = boto3.client("stepfunctions", **kw)
for m in sfn.list_state_machines()["stateMachines"]:
    if m["name"] == name:
        d = sfn.describe_state_machine(stateMachineArn=m["stateMachineArn"])
        out["machine"] = {"Arn": d["stateMachineArn"], "RoleArn": d["roleArn"], "Definition": json.loads(d["definition"])}

iam = boto3.client("iam", **kw)
for role in iam.list_roles()["Roles"]:
    if role["RoleName"].startswith(prefix):
        names = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
        policies = {p: iam.get_role_policy(RoleName=role["RoleName"], PolicyName=p)["PolicyDocument"] for p in names}
        out["roles"][role["RoleName"]] = {"Arn": role["Arn"], "Trust": role["AssumeRolePolicyDocument"], "Policies": policies}

events = boto3.client("events", **kw)
for r in events.list_rules(NamePrefix=prefix)["Rules"]:
    targets = events.list_targets_by_rule(Rule=r["Name"])["Targets"]
    out["rules"].append({"Name": r["Name"], "EventPattern": json.loads(r["EventPattern"]), "State": r["State"], "Targets": targets})

scheduler = boto3.client("scheduler", **kw)
for s in scheduler.list_schedules(NamePrefix=prefix)["Schedules"]:
    g = scheduler.get_schedule(Name=s["Name"])
    target = {"Arn": g["Target"]["Arn"], "RoleArn": g["Target"]["RoleArn"], "Input": json.loads(g["Target"]["Input"])}
    out["schedules"].append({"Name": g["Name"], "ScheduleExpression": g["ScheduleExpression"], "State": g["State"], "Target": target})

cloudwatch = boto3.client("cloudwatch", **kw)
for a in cloudwatch.describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]:
    keep = ["AlarmName", "Namespace", "MetricName", "Dimensions", "Statistic", "Period", "EvaluationPeriods", "Threshold", "ComparisonOperator", "AlarmActions"]
    out["alarms"].append({k: a.get(k) for k in keep})

print(json.dumps(out, default=str))
