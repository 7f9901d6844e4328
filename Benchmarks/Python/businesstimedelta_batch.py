"""The same deadline batch through businesstimedelta (PyPI), a widely used Python business-time
library, for the comparison in BENCHMARKS.md. It handles business-hours targets on PLM Group's
Denmark calendar (Mon-Thu 08-12 + 13-16, Fri 08-12 + 13-15, Europe/Copenhagen, Danish holidays
from python-holidays), reads JSON Lines and writes {"due": ...} lines.

    pip install businesstimedelta holidays pytz
    python3 businesstimedelta_batch.py < hours.jsonl > python-answers.jsonl
"""
import datetime
import json
import sys

import businesstimedelta
import holidays
import pytz

ZONE = pytz.timezone("Europe/Copenhagen")
HOURS = {
    "standard": {"critical": 4, "high": 8, "medium": 16},
    "premium": {"critical": 2, "high": 4, "medium": 8},
}

morning = businesstimedelta.WorkDayRule(datetime.time(8), datetime.time(12), [0, 1, 2, 3, 4], tz=ZONE)
afternoon = businesstimedelta.WorkDayRule(datetime.time(13), datetime.time(16), [0, 1, 2, 3], tz=ZONE)
friday = businesstimedelta.WorkDayRule(datetime.time(13), datetime.time(15), [4], tz=ZONE)
closed = businesstimedelta.HolidayRule(holidays.country_holidays("DK", years=range(2024, 2031)), tz=ZONE)
rules = businesstimedelta.Rules([morning, afternoon, friday, closed])
deltas = {hours: businesstimedelta.BusinessTimeDelta(rules, hours=hours) for hours in (2, 4, 8, 16)}

out = sys.stdout
for line in sys.stdin:
    q = json.loads(line)
    opened = datetime.datetime.fromisoformat(q["opened"])
    due = (opened + deltas[HOURS[q["plan"]][q["priority"]]]).astimezone(ZONE)
    out.write(json.dumps({"due": due.isoformat()}) + "\n")
