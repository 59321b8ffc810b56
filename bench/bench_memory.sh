#!/usr/bin/env bash
# Peak memory of `standoff predict` (sharded) and `standoff eval run` at growing archive sizes.
# Run from the repository root after `make run` (it uses models/actors/rules-1):
#   bash bench/bench_memory.sh [SIZES...]        (default: 1000 10000 50000)
# Each command runs in its own process under /usr/bin/time; "peak" is its maximum RSS.
# Prediction runs for the sizes up to 10,000 only (it takes minutes per 10k on 2 cores).
set -euo pipefail
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
printf "%-34s %12s %10s\n" "command" "peak RSS MB" "seconds"
for n in ${sizes[@]}; do
  if [ "$n" -le 10000 ]; then
    /usr/bin/time -o "$work/t" -f "%M %e" .venv/bin/standoff predict actors/rules-1 \
      "$work/archive-$n.jsonl" --out "$work/pred-$n" --shard-size 500 > /dev/null 2>&1
    read -r kb s < "$work/t"; printf "%-34s %12.0f %10s\n" "predict actors/rules, $n docs" "$((kb / 1024))" "$s"
  fi
  # predictions = the gold itself: the scoring work and memory are the same as for a model's
  /usr/bin/time -o "$work/t" -f "%M %e" .venv/bin/standoff eval run events/gold-copy \
    --predictions "$work/archive-$n.jsonl" --data "$work/archive-$n.jsonl" \
    --out "$work/eval-$n" --resamples 200 > /dev/null 2>&1
  read -r kb s < "$work/t"; printf "%-34s %12.0f %10s\n" "eval run events, $n docs" "$((kb / 1024))" "$s"
done
