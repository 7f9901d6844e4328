#!/usr/bin/env python3
"""Writes N cases of history in the format `accord import cases` reads (docs/import.md), for the
customers and people `accord serve --demo` seeds: logged from 2 January 2026 to 15 November, each
answered, most resolved, some paused awaiting the customer, a fifth of Prairie Foods' (Pro Plus)
escalated to Tier 2 and picked up there, a third with an internal note (drawn from a random stream
of their own, so the rest is as it was before they were added). Deterministic (seeded), so runs compare.

    python3 Benchmarks/Data/make-history.py 1000000 /tmp/history.jsonl
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

CUSTOMERS = [
    # name, requesters, priorities
    ("Acme Manufacturing", ["ann@acme.demo", "bob@acme.demo"], ["p1", "p2", "p3", "p4"]),
    ("Northwind Networks", ["nina@northwind.demo"], ["severity-1", "severity-2", "severity-3", "severity-4"]),
    ("Fjord Design AS", ["ola@fjord.demo"], ["critical", "high", "medium", "low", "question"]),
    ("Prairie Foods", ["paul@prairie.demo"], [None]),
]
AGENTS = ["agent.tier1@accord.demo", "agent.tier2@accord.demo"]
START = datetime(2026, 1, 2, tzinfo=timezone.utc)
SPAN = (datetime(2026, 11, 15, tzinfo=timezone.utc) - START).total_seconds()


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    count, path = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(20)
    notes = random.Random(21)
    # Logged in time order, as a desk numbers them.
    offsets = sorted(rnd.random() * SPAN for _ in range(count))
    with open(path, "w", encoding="utf-8") as out:
        for index, offset in enumerate(offsets):
            name, requesters, priorities = CUSTOMERS[rnd.randrange(len(CUSTOMERS))]
            requester = rnd.choice(requesters)
            logged = START + timedelta(seconds=int(offset))
            at = logged
            events = []
            if rnd.random() < 0.15:
                at += timedelta(minutes=rnd.randrange(5, 120))
                events.append({"at": iso(at), "kind": "status-change", "value": "awaiting-customer", "by": rnd.choice(AGENTS)})
                at += timedelta(minutes=rnd.randrange(30, 3000))
                events.append({"at": iso(at), "kind": "customer-message", "by": requester, "body": "Here is the log you asked for"})
            at += timedelta(minutes=rnd.randrange(10, 2400))
            agent = rnd.choice(AGENTS)
            events.append({"at": iso(at), "kind": "public-reply", "by": agent, "body": "We are looking into it"})
            if notes.random() < 1 / 3:
                events.append({"at": iso(at), "kind": "internal-note", "by": agent, "body": "Same crash as the licence server upgrade last spring"})
            if name == "Prairie Foods" and rnd.random() < 0.2:
                # Escalated to Tier 2, picked up there: the OLA clocks of reports.
                at += timedelta(minutes=rnd.randrange(10, 600))
                events.append({"at": iso(at), "kind": "escalated", "value": "tier-2", "body": "Needs a product specialist"})
                at += timedelta(minutes=rnd.randrange(5, 900))
                agent = AGENTS[1]
                events.append({"at": iso(at), "kind": "assigned", "value": agent})
            if rnd.random() < 0.85:
                at += timedelta(minutes=rnd.randrange(30, 20000))
                events.append({"at": iso(at), "kind": "status-change", "value": "resolved", "resolution": rnd.choice(["fix", "workaround"]), "by": agent})
            line = {"externalId": f"bench-{index + 1}", "organization": name, "requester": requester, "channel": rnd.choice(["web", "email", "phone"]),
                    "title": f"Case {index + 1}", "description": "Imported for the benchmark", "loggedAt": iso(logged), "events": events}
            priority = rnd.choice(priorities)
            if priority is not None:
                line["priority"] = priority
            out.write(json.dumps(line, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
