#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds taken from the project's fixtures
# and shipped workflows (copied, so the fixtures stay untouched). Safe to
# run again: existing corpus entries are kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=$here/corpus
mkdir -p "$corpus"/{compile,validate,evaluators,jsonata,run,serve}

seed() { # seed TARGET FILE...
    local target=$1; shift
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$corpus/$target/seed-$(basename "$f")"
    done
    return 0
}

shopt -s nullglob globstar
seed compile "$root"/workflows/*.sfc "$root"/fixtures/**/*.sfc
asl=("$root"/fixtures/**/*.asl.json)
seed validate "${asl[@]}"
seed run "${asl[@]}"

# Evaluators: the first byte picks path read (0), path set (1), intrinsic (2)
# or template (3).
i=0
for text in '$.a[0]' '$.a[?(@.a > 1)]' '$$.Execution.Id' '$.b.c' \
            "States.Format('{} and {}', \$.s, States.MathAdd(1, 2))" \
            "States.JsonToString(States.StringToJson('{\"a\":[1]}'))" \
            "States.ArrayPartition(States.ArrayRange(1, 9, 2), 2)" \
            '{"x.$": "$.a", "y": {"z.$": "States.UUID()"}}'; do
    case $text in
        States.*) tag='\x02' ;;
        '{'*) tag='\x03' ;;
        *) tag='\x00' ;;
    esac
    printf "$tag%s" "$text" > "$corpus/evaluators/seed-$i"
    i=$((i + 1))
done

# JSONata: every expression found in the JSONata fixtures' {% %} strings.
grep -rhoE '\{%[^%]+%\}' "$root"/fixtures "$root"/workflows 2>/dev/null | sort -u | head -200 |
    while IFS= read -r e; do
        e=${e#\{%}; e=${e%\%\}}
        printf '%s' "$e" > "$corpus/jsonata/seed-$(printf '%s' "$e" | sha1sum | cut -c1-12)"
    done
# The shared conformance data, when it is beside the project: the recorded
# cases' definitions and the validator corpora.
shared=${SFC_SHARED:-$root/../shared}/conformance
if [ -d "$shared" ]; then
    seed validate "$shared"/validator/*/*.json
    python3 - "$shared/aws-recorded" "$corpus" <<'PY'
import json, pathlib, re, sys
cases, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for i, f in enumerate(sorted(cases.glob("**/*.json"))):
    try:
        definition = json.loads(f.read_text()).get("definition")
    except (ValueError, AttributeError):
        continue
    if isinstance(definition, dict):
        text = json.dumps(definition)
        (corpus / "run" / f"case-{i}").write_text(text)
        for j, e in enumerate(sorted(set(re.findall(r"\{%(.+?)%\}", text)))):
            (corpus / "jsonata" / f"case-{i}-{j}").write_text(e)
PY
fi
for text in '$states.input.a[0] + 1' '$map($states.input.a, function($v){ $v * 2 })' \
            '$reduce([1..10], function($x, $y){ $x + $y })' '$partition([1,2,3], 2)' '$hash("a", "SHA-256")'; do
    printf '%s' "$text" > "$corpus/jsonata/seed-$(printf '%s' "$text" | sha1sum | cut -c1-12)"
done

# Serve: request sequences (a machine made, run, read, stopped, ...), one
# per fixture definition and a few of every other kind of operation.
python3 - "$root" "$corpus/serve" <<'PY'
import json, pathlib, sys
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
arn = "arn:aws:states:us-east-1:123456789012:"
role = "arn:aws:iam::123456789012:role/r"
def seed(name, requests):
    (out / f"seed-{name}").write_text(json.dumps(requests))
for i, f in enumerate(sorted(root.glob("fixtures/**/*.asl.json"))[:60]):
    definition = f.read_text()
    kind = "EXPRESS" if i % 2 else "STANDARD"
    start = ["StartSyncExecution" if kind == "EXPRESS" else "StartExecution",
             {"stateMachineArn": arn + "stateMachine:M", "name": "e", "input": "{}"}]
    seed(f"fixture-{i}", [
        ["CreateStateMachine", {"name": "M", "definition": definition, "roleArn": role, "type": kind}],
        start,
        ["DescribeExecution", {"executionArn": arn + "execution:M:e"}],
        ["GetExecutionHistory", {"executionArn": arn + "execution:M:e", "reverseOrder": True, "maxResults": 3}],
        ["StopExecution", {"executionArn": arn + "execution:M:e", "error": "E", "cause": "c"}],
        ["RedriveExecution", {"executionArn": arn + "execution:M:e"}],
        ["GET", "/execution?arn=" + arn + "execution:M:e"],
    ])
chain = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"n": 1}, "End": True}}})
seed("versions", [
    ["CreateStateMachine", {"name": "V", "definition": chain, "roleArn": role, "publish": True}],
    ["PublishStateMachineVersion", {"stateMachineArn": arn + "stateMachine:V", "description": "d"}],
    ["CreateStateMachineAlias", {"name": "live", "routingConfiguration": [{"stateMachineVersionArn": arn + "stateMachine:V:1", "weight": 100}]}],
    ["StartExecution", {"stateMachineArn": arn + "stateMachine:V:live", "name": "x"}],
    ["ListStateMachineVersions", {"stateMachineArn": arn + "stateMachine:V"}],
    ["ListExecutions", {"stateMachineArn": arn + "stateMachine:V", "statusFilter": "SUCCEEDED"}],
    ["GET", "/"],
])
distributed = json.dumps({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 1, "ToleratedFailureCount": 1,
    "ItemBatcher": {"MaxItemsPerBatch": 2}, "End": True, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED",
    "ExecutionType": "STANDARD"}, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}}}}}})
seed("map-runs", [
    ["CreateStateMachine", {"name": "D", "definition": distributed, "roleArn": role}],
    ["StartExecution", {"stateMachineArn": arn + "stateMachine:D", "name": "d", "input": "[1, 2, 3]"}],
    ["ListMapRuns", {"executionArn": arn + "execution:D:d", "maxResults": 1}],
    ["DescribeMapRun", {"mapRunArn": arn + "mapRun:D/M:00000000-0000-0000-0000-000000000000"}],
    ["UpdateMapRun", {"mapRunArn": arn + "mapRun:D/M:x", "maxConcurrency": 2, "toleratedFailurePercentage": 50.5}],
    ["ListExecutions", {"mapRunArn": arn + "mapRun:D/M:x", "statusFilter": "ABORTED"}],
    ["StopExecution", {"executionArn": arn + "execution:D:d"}],
])
failing = json.dumps({"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "L", "End": True, "ItemProcessor": {
    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}], "Default": "P"},
    "F": {"Type": "Fail", "Error": "E"}, "P": {"Type": "Pass", "End": True}}}}}})
seed("map-run-children", [
    ["CreateStateMachine", {"name": "F", "definition": failing, "roleArn": role}],
    ["StartExecution", {"stateMachineArn": arn + "stateMachine:F", "name": "f", "input": "[1, 2, 3]"}],
    ["GetExecutionHistory", {"executionArn": arn + "execution:F/L:00000000-0000-0000-0000-000000000000:0", "reverseOrder": True}],
    ["DescribeStateMachineForExecution", {"executionArn": arn + "execution:F/L:00000000-0000-0000-0000-000000000000:1"}],
    ["RedriveExecution", {"executionArn": arn + "execution:F:f"}],
    ["DescribeMapRun", {"mapRunArn": arn + "mapRun:F/L:00000000-0000-0000-0000-000000000000"}],
    ["ListStateMachines", {"maxResults": 1, "nextToken": "sfc-after-0"}],
])
seed("activities", [
    ["CreateActivity", {"name": "A"}],
    ["CreateStateMachine", {"name": "W", "roleArn": role, "definition": json.dumps({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": arn + "activity:A", "TimeoutSeconds": 5, "HeartbeatSeconds": 2, "End": True}}})}],
    ["StartExecution", {"stateMachineArn": arn + "stateMachine:W", "name": "w"}],
    ["GetActivityTask", {"activityArn": arn + "activity:A", "workerName": "me"}],
    ["SendTaskHeartbeat", {"taskToken": "t"}],
    ["SendTaskSuccess", {"taskToken": "t", "output": "{}"}],
    ["DeleteActivity", {"activityArn": arn + "activity:A"}],
])
seed("teststate", [
    ["TestState", {"definition": json.dumps({"Type": "Pass", "Parameters": {"a.$": "$.x"}, "End": True}), "roleArn": role,
                   "input": "{\"x\": 1}", "inspectionLevel": "DEBUG"}],
    ["TestState", {"definition": json.dumps({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True,
                   "Retry": [{"ErrorEquals": ["States.ALL"]}]}), "mock": {"errorOutput": {"error": "E", "cause": "c"}},
                   "stateConfiguration": {"retrierRetryCount": 1}}],
    ["ValidateStateMachineDefinition", {"definition": chain, "type": "STANDARD"}],
])
seed("tags", [
    ["CreateStateMachine", {"name": "T", "definition": chain, "roleArn": role, "tags": [{"key": "k", "value": "v"}]}],
    ["TagResource", {"resourceArn": arn + "stateMachine:T", "tags": [{"key": "a", "value": "b"}]}],
    ["ListTagsForResource", {"resourceArn": arn + "stateMachine:T"}],
    ["UntagResource", {"resourceArn": arn + "stateMachine:T", "tagKeys": ["k"]}],
    ["UpdateStateMachine", {"stateMachineArn": arn + "stateMachine:T", "definition": chain, "publish": True}],
    ["DeleteStateMachine", {"stateMachineArn": arn + "stateMachine:T"}],
    ["ListStateMachines", {"maxResults": 1}],
])
PY

for t in compile validate evaluators jsonata run serve; do
    echo "$t: $(ls "$corpus/$t" | wc -l) seeds"
done
