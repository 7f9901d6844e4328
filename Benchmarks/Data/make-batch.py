"""Writes N deadline questions as JSON Lines (deterministic), for `accord sla due --batch` and the
businesstimedelta comparison.

    python3 make-batch.py 1000000 > batch.jsonl               # all plm-group Denmark priorities
    python3 make-batch.py 100000 --hours-only > hours.jsonl   # business-hours targets only
"""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
hours_only = "--hours-only" in sys.argv
rng = random.Random(42)
priorities = ("critical", "high", "medium") if hours_only else ("critical", "high", "medium", "low")
plm = [(plan, p) for plan in ("standard", "premium") for p in priorities]
for _ in range(n):
    plan, priority = rng.choice(plm)
    day = rng.randrange(0, 4 * 365)
    minute = rng.randrange(0, 1440)
    y, rest = 2025 + day // 365, day % 365
    month = min(12, rest // 31 + 1)
    dom = min(28, rest % 31 + 1)
    opened = f"{y}-{month:02d}-{dom:02d}T{minute // 60:02d}:{minute % 60:02d}:00+01:00"
    print(json.dumps({"policy": "plm-group", "plan": plan, "priority": priority, "region": "denmark", "opened": opened}, separators=(",", ":")))
