#!/usr/bin/env bash
# The convergence study: test accuracy after 1, 5 and 10 epochs for 1, 2, 4 and 8 workers, seed and fast recipes,
# on the full data in local mode. Runs are ordinary run directories under runs/study/ (override with STUDY_ROOT):
# a finished one is not trained again, so an interrupted study continues where it stopped.
# Then submit/study_report.py writes the table (study.md) and the plot (study.png) next to them, and into
# docs/convergence.md and docs/study.png (the documented study is the last one run).
#   submit/study.sh                      # all 16 runs (about 16 x 10 epochs of training)
#   WORKERS="1 2" RECIPES=fast submit/study.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${STUDY_ROOT:-runs/study}"
mkdir -p "$root"
for recipe in ${RECIPES:-seed fast}; do
  for workers in ${WORKERS:-1 2 4 8}; do
    echo "== recipe $recipe, $workers worker(s)" >&2
    "$here/local.sh" --recipe "$recipe" --workers "$workers" --epochs 10 \
      --runs-root "$root" --run-id "$recipe-w$workers" "$@" > "$root/$recipe-w$workers.log" 2>&1 \
      || { echo "run $recipe-w$workers failed: see $root/$recipe-w$workers.log" >&2; exit 1; }
    grep -E '^ Accuracy' "$root/$recipe-w$workers.log" | tail -1 >&2
  done
done
/usr/bin/python3 "$here/study_report.py" "$root" --docs "$here/../docs"
