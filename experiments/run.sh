#!/usr/bin/env bash
# experiments/run.sh E1 [E2 ...]: every unfinished run of each experiment, in order, then its report.
# A run that was interrupted resumes from its newest checkpoint; a finished one (its result JSON exists) is skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ $# -gt 0 ] || { echo "usage: experiments/run.sh E1 [E2 ...]" >&2; exit 2; }
for experiment in "$@"; do
  ./ranker4j experiment list "$experiment" > "runs/.experiment-$experiment.todo" 2>/dev/null || ./ranker4j experiment list "$experiment"
  while read -r config seed; do
    ./ranker4j experiment run "$config" --seed "$seed" < /dev/null
  done < "runs/.experiment-$experiment.todo"
  ./ranker4j experiment report "$experiment" < /dev/null
done
