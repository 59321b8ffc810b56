#!/usr/bin/env bash
# Peak memory and time of `standoff predict` (sharded) and `standoff eval run` at growing
# archive sizes. Run from the repository root after `make run` (predict uses models/actors/rules-1):
#   bash bench/bench_memory.sh [--eval-only] [--workers N] [--tasks "events blame"]
#                              [--perturbed] [SIZES...]
# (default sizes: 1000 10000 50000). Each command runs in its own process under
# /usr/bin/time; "peak" is its maximum RSS (with --workers, of the main process: each
# worker holds one chunk of documents). Prediction runs for sizes up to 10,000 only (it
# takes minutes per 10k on 2 cores); --eval-only skips it. --workers N adds a row per
# task with `eval run --workers N` (N processes parse and score). "cpu s" is user + system
# time of the command and its worker processes: on shared cores, compare that.
# --perturbed scores predictions with seeded mistakes (the gold through
# standoff.eval.synthetic.perturb, as bench_scale.py makes them: ~36 error items per
# document, written to items.jsonl) instead of the gold itself.
set -euo pipefail
eval_only=0 workers=1 tasks="events" perturbed=0
while [ $# -gt 0 ]; do
  case "$1" in
    --eval-only) eval_only=1; shift ;;
    --perturbed) perturbed=1; shift ;;
    --workers) workers="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    *) break ;;
  esac
done
sizes=("${@:-1000 10000 50000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python - "$work" "$perturbed" ${sizes[@]} <<'PY'
import itertools, json, sys
work, perturbed, sizes = sys.argv[1], sys.argv[2] == "1", [int(n) for n in sys.argv[3:]]
docs = [json.loads(line) for line in open("corpus/documents.jsonl", encoding="utf-8")]
for n in sizes:
    with open(f"{work}/archive-{n}.jsonl", "w", encoding="utf-8") as out:
        for i, doc in zip(range(n), itertools.cycle(docs)):
            out.write(json.dumps({**doc, "id": f"{doc['id']}-{i:06d}"}, ensure_ascii=False) + "\n")
    if perturbed:  # one line per gold line, same order (what `standoff predict` writes)
        from pathlib import Path
        from standoff.core.io import iter_documents, write_jsonl_atomic
        from standoff.eval.synthetic import perturb
        write_jsonl_atomic(Path(f"{work}/preds-{n}.jsonl"), (
            perturb(d, seed=1) for d in iter_documents(Path(f"{work}/archive-{n}.jsonl"))))
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
      # model's (only the error items, written for the reports, are missing); or, with
      # --perturbed, the gold with seeded mistakes
      preds="$work/archive-$n.jsonl" name="gold-copy"
      [ "$perturbed" -eq 1 ] && preds="$work/preds-$n.jsonl" name="perturbed"
      /usr/bin/time -o "$work/t" -f "%M %e %U %S" .venv/bin/standoff eval run "$task/$name" \
        --predictions "$preds" --data "$work/archive-$n.jsonl" \
        --out "$work/eval-$n" --resamples 200 --workers "$w" > /dev/null 2>&1
      row "eval run $task$([ "$w" -gt 1 ] && echo " --workers $w")$([ "$perturbed" -eq 1 ] \
        && echo " (errors)"), $n docs"
    done
  done
  rm -f "$work/archive-$n.jsonl" "$work/preds-$n.jsonl"
done
