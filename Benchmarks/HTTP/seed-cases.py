#!/usr/bin/env python3
"""Fills a desk seeded by `accord serve --demo` with many cases, for the list benchmark.

    python3 Benchmarks/HTTP/seed-cases.py --sqlite accord.sqlite --cases 1000000

Adds 2,000 customer users spread over the demo's customers and N cases spread over them (a
quarter open, the rest in the other statuses), each case with its `logged` event and two clocks,
numbered on from the case counters. The demo's own people keep a realistic share: about 500 cases
each. Written straight into the SQLite file in the layout the server uses (UUIDs as upper-case
text, instants as seconds since 1970); stop the server first.
"""
import argparse, random, sqlite3, time, uuid

STATUSES = ["open"] * 25 + ["new"] * 5 + ["awaiting-customer"] * 10 + ["resolved"] * 20 + ["closed"] * 40


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", required=True)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)
    db = sqlite3.connect(args.sqlite)
    db.execute("PRAGMA journal_mode=WAL")
    organizations = db.execute(
        "SELECT id, policy_id, plan_id, region_id, case_prefix, (SELECT version FROM policies p WHERE p.policy_id = o.policy_id AND p.\"current\" = 1) FROM organizations o"
    ).fetchall()
    if not organizations:
        raise SystemExit("no customers: start the desk once with `accord serve --demo` first")
    demo_people = db.execute("SELECT id, organization_id FROM people WHERE organization_id IS NOT NULL").fetchall()
    now = time.time()
    people = []
    rows = []
    for index in range(2000):
        organization = organizations[index % len(organizations)]
        person = (str(uuid.uuid4()).upper(), organization[0])
        people.append(person)
        rows.append((person[0], organization[0], f"Load User {index}", f"load{index}@load.test", "user", None, 0, None, now))
    db.executemany("INSERT INTO people (id, organization_id, name, email, role, tier, billable_overage, erased_at, created_at) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    by_organization = {o[0]: o for o in organizations}
    counters = dict(db.execute("SELECT prefix, last FROM case_counters").fetchall())
    demo_share = 500 * len(demo_people)
    cases, events, clocks = [], [], []

    def flush():
        db.executemany("INSERT INTO cases (id, number, organization_id, requester_id, title, description, priority, channel, status, policy_id, policy_version, plan_id, region_id, logged_at, nda, unsupported_version, next_due, breached, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cases)
        db.executemany("INSERT INTO case_events (id, case_id, sequence, at, actor_id, kind, value, body) VALUES (?,?,?,?,?,?,?,?)", events)
        db.executemany("INSERT INTO clocks (id, case_id, metric, target, due, state) VALUES (?,?,?,?,?,?)", clocks)
        cases.clear(); events.clear(); clocks.clear()

    for index in range(args.cases):
        requester = demo_people[index % len(demo_people)] if index < demo_share else people[index % len(people)]
        organization = by_organization[requester[1]]
        logged_at = now - random.uniform(0, 3 * 365 * 86400)
        year = time.gmtime(logged_at).tm_year
        prefix = f"{organization[4]}-{year}-"
        counters[prefix] = counters.get(prefix, 0) + 1
        status = random.choice(STATUSES)
        running = status in ("new", "open")
        due = logged_at + random.choice([4, 8, 24, 72]) * 3600
        case_id = str(uuid.uuid4()).upper()
        priority = None if organization[1] == "pro-plus" else {"plex": "p3", "plixer": "severity-3", "plm-group": "medium"}.get(organization[1])
        cases.append((case_id, f"{prefix}{counters[prefix]:06d}", organization[0], requester[0], f"Load case {index}", "Generated for the list benchmark",
                      priority, "web", status, organization[1], organization[5], organization[2], organization[3], logged_at, 0, 0,
                      due if running else None, 0, 1))
        events.append((str(uuid.uuid4()).upper(), case_id, 1, logged_at, requester[0], "logged", priority, "Generated for the list benchmark"))
        clocks.append((str(uuid.uuid4()).upper(), case_id, "initial-response", "4 business hours", due, "running" if running else "met"))
        clocks.append((str(uuid.uuid4()).upper(), case_id, "resolution", "5 business days", due + 4 * 86400, "running" if running else "met"))
        if len(cases) == 20000:
            flush()
    flush()
    db.executemany("INSERT INTO case_counters (prefix, last) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET last = excluded.last", counters.items())
    db.commit()
    db.execute("ANALYZE")
    print(f"{args.cases} cases for {len(people) + len(demo_people)} requesters; {db.execute('SELECT COUNT(*) FROM cases').fetchone()[0]} cases stored")


if __name__ == "__main__":
    main()
