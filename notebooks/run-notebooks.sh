#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless against fresh runs, failing on the first error: three small runs
# (the same settings on 1, 2 and 4 workers, 2 epochs on subsets), run_report.ipynb on one of them and
# compare_runs.ipynb on all three. CI calls this; by hand it shows that the notebooks work with this trainer.
#   notebooks/run-notebooks.sh [WORK_DIR]     # keeps the runs and executed notebooks in WORK_DIR
#   notebooks/run-notebooks.sh                # uses a temporary directory, removed at the end
# FIGURES_DIR=DIR saves the notebooks' figures as PNGs there. Needs Debian's jupyter-nbconvert, python3-ipykernel,
# python3-matplotlib, python3-pandas (see .ci/run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
if [ $# -gt 0 ]; then
  work="$1"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

runs=()
for workers in 1 2 4; do
  run="$work/runs/workers-$workers"
  echo "Training on $workers worker(s) into $run" >&2
  "$root/submit/local.sh" --epochs 2 --train-limit 6000 --test-limit 2000 --workers "$workers" --output "$run" \
      > "$work/train-workers-$workers.log" 2>&1 || { tail -20 "$work/train-workers-$workers.log" >&2; exit 1; }
  runs+=("$run")
done

# Debian's interpreter has the packages; a python3 earlier on PATH (pyenv, venv) may not.
jupyter=(/usr/bin/python3 -m jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300
         --output-dir "$work/executed")
RUN_DIR="${runs[1]}" "${jupyter[@]}" "$here/run_report.ipynb"
RUN_DIRS="$(IFS=,; echo "${runs[*]}")" "${jupyter[@]}" "$here/compare_runs.ipynb"
echo "Notebooks executed without errors" >&2
