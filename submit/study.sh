#!/usr/bin/env bash
# The convergence study, run as a careful ML engineer would: every candidate recipe trains 10 epochs on 50,000
# training images and is judged by its accuracy on the 10,000 it held out (--validation-split 10000, seeded); the
# candidate with the best validation accuracy (mean over the worker counts, among those whose epochs take at most
# 1.2x the reference's with as many workers as the machine has cores or fewer) then trains on all 60,000 and is
# evaluated on the test set, once.
# Runs are ordinary run directories under runs/study/{validation,test}/ (override with STUDY_ROOT); a finished one
# is not trained again, so an interrupted study continues where it stopped. submit/study_report.py then writes the
# tables (study.md) and the plot (study.png) next to them, and into docs/convergence.md and docs/study.png.
#   submit/study.sh                      # 4 candidates x 2 worker counts, then the chosen one on all data
#   WORKERS="2" submit/study.sh
# Candidates: a name and the flags laid over --recipe fast. The first is the reference for epoch times (the fast
# recipe before it averaged more often with more workers); the others show what a new order of each shard every
# epoch (--reorder), a new split (--reshuffle) and more rounds per epoch buy and cost.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${STUDY_ROOT:-runs/study}"
mkdir -p "$root/validation" "$root/test"
cat > "$root/candidates.tsv" <<'CANDIDATES'
previous	--averaging-frequency 0 --no-reorder
fast	
fast-no-reorder	--no-reorder
fast-reshuffle	--reshuffle
CANDIDATES

train() { # STAGE NAME WORKERS FLAGS...
  local stage=$1 name=$2 workers=$3
  shift 3
  if [ -f "$root/$stage/$name-w$workers/_SUCCESS" ]; then
    # finished by an earlier, interrupted study: keep it and its log
    echo "== $stage: $name, $workers worker(s): finished earlier, kept" >&2
    return
  fi
  echo "== $stage: $name, $workers worker(s)" >&2
  "$here/local.sh" --recipe fast --workers "$workers" --epochs 10 --runs-root "$root/$stage" \
    --run-id "$name-w$workers" "$@" > "$root/$stage/$name-w$workers.log" 2>&1 \
    || { echo "run $stage/$name-w$workers failed: see $root/$stage/$name-w$workers.log" >&2; exit 1; }
}

while IFS=$'\t' read -r name flags; do
  for workers in ${WORKERS:-2 8}; do
    # shellcheck disable=SC2086  # the flags are words
    train validation "$name" "$workers" --validation-split 10000 $flags
    grep -E '^Validation' "$root/validation/$name-w$workers.log" | tail -1 >&2
  done
done < "$root/candidates.tsv"

chosen="$(/usr/bin/python3 "$here/study_report.py" "$root" --choose)"
flags="$(awk -F'\t' -v name="$chosen" '$1 == name { print $2 }' "$root/candidates.tsv")"
echo "== chosen on validation accuracy: $chosen ($flags)" >&2
for workers in ${WORKERS:-2 8}; do
  # shellcheck disable=SC2086
  train test "$chosen" "$workers" $flags
done
/usr/bin/python3 "$here/study_report.py" "$root" --docs "$here/../docs"
