"""Writes N deadline questions as JSON Lines (deterministic), for `accord sla due --batch` and the
businesstimedelta comparison.   python3 make-batch.py 200000 > batch.jsonl"""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
rng = random.Random(42)
plm = [("standard", p) for p in ("critical", "high", "medium", "low")] + [("premium", p) for p in ("critical", "high", "medium", "low")]
for _ in range(n):
    plan, priority = rng.choice(plm)
    day = rng.randrange(0, 4 * 365)
    minute = rng.randrange(0, 1440)
    y, rest = 2025 + day // 365, day % 365
    month = min(12, rest // 31 + 1)
    dom = min(28, rest % 31 + 1)
    opened = f"{y}-{month:02d}-{dom:02d}T{minute // 60:02d}:{minute % 60:02d}:00+01:00"
    print(json.dumps({"policy": "plm-group", "plan": plan, "priority": priority, "region": "denmark", "opened": opened}, separators=(",", ":")))
