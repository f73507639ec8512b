#!/usr/bin/env bash
# How fast a large report opens: the HTML report of a 10,000-item Map
# (EXPRESS, 40,000+ events) opened in headless Chromium. Prints the file's
# size, the page's own "ready" time (navigation start to its script's end,
# performance.now()) and Chromium's wall time for the whole load, three runs.
# Target (issue #18): under 2 s to open, under 5 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium="${SFC_CHROMIUM:-$(command -v chromium)}"
cargo build --release -q
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf 'workflow "BigMap"\nmap Items over $.items {\n  pass Touch parameters { item: $ }\n}\n' > "$dir/big-map.sfc"
python3 -c 'import json; print(json.dumps({"items": list(range(10000))}))' > "$dir/input.json"
/usr/bin/time -f "sfc run --report: %e s, %M KB" target/release/sfc run --local "$dir/big-map.sfc" --type express --input "$dir/input.json" --report "$dir/report.html" -q > /dev/null
echo "report: $(stat -c %s "$dir/report.html") bytes"
for i in 1 2 3; do
  start=$(date +%s.%N)
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$dir/profile" --dump-dom "file://$dir/report.html" 2>/dev/null > "$dir/dom.html"
  end=$(date +%s.%N)
  ready=$(grep -o 'ready_ms":[0-9]*' "$dir/dom.html" | grep -o '[0-9]*$')
  echo "run $i: page ready after ${ready} ms; chromium wall $(python3 -c "print(round($end - $start, 2))") s"
done
