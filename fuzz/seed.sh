#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds taken from the project's fixtures
# and shipped workflows (copied, so the fixtures stay untouched). Safe to
# run again: existing corpus entries are kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=$here/corpus
mkdir -p "$corpus"/{compile,validate,evaluators,jsonata,run}

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

for t in compile validate evaluators jsonata run; do
    echo "$t: $(ls "$corpus/$t" | wc -l) seeds"
done
