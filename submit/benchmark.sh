#!/usr/bin/env bash
# The speed benchmark (issue 6): the matrix-multiply bound of this machine, this trainer with 1 and N workers,
# DL4J's ParameterAveragingTrainingMaster with its defaults, and MLlib's MultilayerPerceptronClassifier, all in
# one run; prints a Markdown table and writes it to runs/benchmark-<time>.md (or --output). Takes 10-25 minutes;
# run it on an otherwise idle machine. Examples:
#   submit/benchmark.sh
#   submit/benchmark.sh --repeats 3 --output speed.md
#   submit/benchmark.sh --help
# Every measurement runs in its own JVM with the environment of native-env.sh (sourced by local.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/local.sh" benchmark --launcher "$here/local.sh" "$@"
