#!/usr/bin/env bash
# Peak memory and time of `standoff predict` (sharded) and `standoff eval run` at growing
# archive sizes. Run from the repository root after `make run` (predict uses models/actors/rules-1):
#   bash bench/bench_memory.sh [--eval-only] [--workers N] [--tasks "events blame"] [SIZES...]
# (default sizes: 1000 10000 50000). Each command runs in its own process under
# /usr/bin/time; "peak" is its maximum RSS (with --workers, of the main process: each
# worker holds one chunk of documents). Prediction runs for sizes up to 10,000 only (it
# takes minutes per 10k on 2 cores); --eval-only skips it. --workers N adds a row per
# task with `eval run --workers N` (N processes parse and score). "cpu s" is user + system
# time of the command and its worker processes: on shared cores, compare that.
set -euo pipefail
eval_only=0 workers=1 tasks="events"
while [ $# -gt 0 ]; do
  case "$1" in
    --eval-only) eval_only=1; shift ;;
    --workers) workers="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    *) break ;;
  esac
done
sizes=("${@:-1000 10000 50000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python - "$work" ${sizes[@]} <<'PY'
import itertools, json, sys
work, sizes = sys.argv[1], [int(n) for n in sys.argv[2:]]
docs = [json.loads(line) for line in open("corpus/documents.jsonl", encoding="utf-8")]
for n in sizes:
    with open(f"{work}/archive-{n}.jsonl", "w", encoding="utf-8") as out:
        for i, doc in zip(range(n), itertools.cycle(docs)):
            out.write(json.dumps({**doc, "id": f"{doc['id']}-{i:06d}"}, ensure_ascii=False) + "\n")
PY
row() {
  read -r kb s u sy < "$work/t"
  cpu=$(awk -v a="$u" -v b="$sy" 'BEGIN { print a + b }')
  printf "%-44s %12.0f %10s %8.1f\n" "$1" "$((kb / 1024))" "$s" "$cpu"
}
printf "%-44s %12s %10s %8s\n" "command" "peak RSS MB" "seconds" "cpu s"
for n in ${sizes[@]}; do
  if [ "$eval_only" -eq 0 ] && [ "$n" -le 10000 ]; then
    /usr/bin/time -o "$work/t" -f "%M %e %U %S" .venv/bin/standoff predict actors/rules-1 \
      "$work/archive-$n.jsonl" --out "$work/pred-$n" --shard-size 500 > /dev/null 2>&1
    row "predict actors/rules, $n docs"
  fi
  for task in $tasks; do
    for w in 1 $([ "$workers" -gt 1 ] && echo "$workers"); do
      # predictions = the gold itself: the scoring work and memory are the same as for a
      # model's (only the error items, written for the reports, are missing)
      /usr/bin/time -o "$work/t" -f "%M %e %U %S" .venv/bin/standoff eval run "$task/gold-copy" \
        --predictions "$work/archive-$n.jsonl" --data "$work/archive-$n.jsonl" \
        --out "$work/eval-$n" --resamples 200 --workers "$w" > /dev/null 2>&1
      row "eval run $task$([ "$w" -gt 1 ] && echo " --workers $w"), $n docs"
    done
  done
  rm -f "$work/archive-$n.jsonl"
done
