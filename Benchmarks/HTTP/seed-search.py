#!/usr/bin/env python3
"""Fills a desk seeded by `accord serve --demo` with many cases that have words in them, for the
search benchmark — on SQLite or on PostgreSQL.

    python3 Benchmarks/HTTP/seed-search.py --sqlite search.sqlite --cases 1000000
    python3 Benchmarks/HTTP/seed-search.py --postgres postgres://accord:accord@127.0.0.1/search --cases 1000000

Each case gets a title of four words and a description of thirty, drawn from a vocabulary of
20,000 made-up words whose frequencies follow Zipf's law (the word of rank r is drawn with weight
1/r, as in natural text), its `logged` event, two clocks, and its two search documents written as
the server writes them (`CaseSearch`): the words, lower-cased and space-separated, in FTS5 with the
organization's token (SQLite) or as a `tsvector` of the words themselves (PostgreSQL). Cases
are spread over 2,000 extra requesters of the demo's customers. Stop the server first.

Prints, for each frequency band, words to query and how many cases hold them.
"""
import argparse, bisect, csv, io, itertools, random, sqlite3, subprocess, sys, time, uuid

STATUSES = ["open"] * 25 + ["new"] * 5 + ["awaiting-customer"] * 10 + ["resolved"] * 20 + ["closed"] * 40
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do", "fu", "ge", "hi", "ju", "bo", "ri", "mo", "te", "xa"]


def vocabulary(size):
    words = []
    for length in itertools.count(2):
        for parts in itertools.product(SYLLABLES, repeat=length):
            words.append("".join(parts))
            if len(words) == size:
                return words


class Zipf:
    def __init__(self, words):
        self.words = words
        self.cumulative = list(itertools.accumulate(1.0 / rank for rank in range(1, len(words) + 1)))

    def draw(self, count):
        total = self.cumulative[-1]
        return [self.words[bisect.bisect(self.cumulative, random.random() * total)] for _ in range(count)]


def psql(url, sql):
    return subprocess.run(["psql", url, "-At", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout


def copy(url, table, columns, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    subprocess.run(["psql", url, "-q", "-c", f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"],
                   input=buffer.getvalue(), check=True, text=True)


def main():
    parser = argparse.ArgumentParser()
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--sqlite")
    target.add_argument("--postgres")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)
    postgres = args.postgres
    words = vocabulary(20_000)
    zipf = Zipf(words)
    now = time.time()

    def instant(seconds):
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + "Z" if postgres else seconds

    def new_id():
        return str(uuid.uuid4()) if postgres else str(uuid.uuid4()).upper()

    if postgres:
        organizations = [line.split("\t") for line in psql(postgres, "SELECT id, policy_id, plan_id, region_id, case_prefix, (SELECT version FROM policies p WHERE p.policy_id = o.policy_id AND p.current) FROM organizations o").splitlines()]
        counters = dict((prefix, int(last)) for prefix, last in (line.split("\t") for line in psql(postgres, "SELECT prefix, last FROM case_counters").splitlines()))
    else:
        db = sqlite3.connect(args.sqlite)
        db.execute("PRAGMA journal_mode=WAL")
        organizations = db.execute("SELECT id, policy_id, plan_id, region_id, case_prefix, (SELECT version FROM policies p WHERE p.policy_id = o.policy_id AND p.\"current\" = 1) FROM organizations o").fetchall()
        counters = dict(db.execute("SELECT prefix, last FROM case_counters").fetchall())
        next_document = db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM case_search").fetchone()[0]
    if not organizations:
        raise SystemExit("no customers: start the desk once with `accord serve --demo` first")

    people = []
    for index in range(2000):
        organization = organizations[index % len(organizations)]
        people.append((new_id(), organization[0], f"Search User {index}", f"search{index}@search.test", "user", None, False, None, instant(now)))
    person_columns = ["id", "organization_id", "name", "email", "role", "tier", "billable_overage", "erased_at", "created_at"]
    if postgres:
        copy(postgres, "people", person_columns, people)
    else:
        db.executemany(f"INSERT INTO people ({', '.join(person_columns)}) VALUES (?,?,?,?,?,?,?,?,?)", people)
    by_organization = {o[0]: o for o in organizations}

    case_columns = ["id", "number", "organization_id", "requester_id", "title", "description", "priority", "channel", "status", "policy_id",
                    "policy_version", "plan_id", "region_id", "logged_at", "nda", "unsupported_version", "next_due", "breached", "version"]
    event_columns = ["id", "case_id", "sequence", "at", "actor_id", "kind", "value", "body"]
    clock_columns = ["id", "case_id", "metric", "target", "due", "state"]
    cases, events, clocks, documents, mapping = [], [], [], [], []
    holders = {}

    def flush():
        if postgres:
            copy(postgres, "cases", case_columns, cases)
            copy(postgres, "case_events", event_columns, events)
            copy(postgres, "clocks", clock_columns, clocks)
            psql(postgres, "CREATE TABLE IF NOT EXISTS search_seed (case_id UUID, organization_id UUID, audience TEXT, words TEXT)")
            copy(postgres, "search_seed", ["case_id", "organization_id", "audience", "words"], documents)
            psql(postgres, "INSERT INTO case_search (case_id, organization_id, audience, document) SELECT case_id, organization_id, audience, array_to_tsvector(string_to_array(words, ' ')) FROM search_seed; TRUNCATE search_seed")
        else:
            db.executemany(f"INSERT INTO cases ({', '.join(case_columns)}) VALUES ({', '.join('?' * len(case_columns))})", cases)
            db.executemany(f"INSERT INTO case_events ({', '.join(event_columns)}) VALUES (?,?,?,?,?,?,?,?)", events)
            db.executemany(f"INSERT INTO clocks ({', '.join(clock_columns)}) VALUES (?,?,?,?,?,?)", clocks)
            db.executemany("INSERT INTO case_search (rowid, document, scope, case_id) VALUES (?,?,?,?)", documents)
            db.executemany("INSERT INTO case_search_documents (case_id, audience, document_id) VALUES (?,?,?)", mapping)
        for batch in (cases, events, clocks, documents, mapping):
            batch.clear()

    for index in range(args.cases):
        requester = people[index % len(people)]
        organization = by_organization[requester[1]]
        logged_at = now - (args.cases - index) * (3 * 365 * 86400 / args.cases)
        prefix = f"{organization[4]}-{time.gmtime(logged_at).tm_year}-"
        counters[prefix] = counters.get(prefix, 0) + 1
        status = random.choice(STATUSES)
        running = status in ("new", "open")
        due = logged_at + random.choice([4, 8, 24, 72]) * 3600
        case_id = new_id()
        number = f"{prefix}{counters[prefix]:06d}"
        priority = None if organization[1] == "pro-plus" else {"plex": "p3", "plixer": "severity-3", "plm-group": "medium"}.get(organization[1])
        title_words, description_words = zipf.draw(4), zipf.draw(30)
        title, description = " ".join(title_words).capitalize(), " ".join(description_words) + "."
        for word in set(title_words + description_words):
            holders[word] = holders.get(word, 0) + 1
        cases.append((case_id, number, organization[0], requester[0], title, description, priority, "web", status, organization[1], organization[5],
                      organization[2], organization[3], instant(logged_at), False, False, instant(due) if running else None, False, 1))
        events.append((new_id(), case_id, 1, instant(logged_at), requester[0], "logged", priority, description))
        clocks.append((new_id(), case_id, "initial-response", "4 business hours", instant(due), "running" if running else "met"))
        clocks.append((new_id(), case_id, "resolution", "5 business days", instant(due + 4 * 86400), "running" if running else "met"))
        text = " ".join(part.lower() for part in number.replace("-", " ").split()) + " " + " ".join(title_words + description_words)
        if postgres:
            documents.append((case_id, organization[0], "public", text))
            documents.append((case_id, organization[0], "staff", text))
        else:
            token = "o" + organization[0].lower().replace("-", "")
            documents.append((next_document, text, f"public {token}", case_id))
            documents.append((next_document + 1, text, "staff", case_id))
            mapping.append((case_id, "public", next_document))
            mapping.append((case_id, "staff", next_document + 1))
            next_document += 2
        if len(cases) == 20000:
            flush()
            print(f"{index + 1} cases", file=sys.stderr, end="\r")
    flush()
    if postgres:
        for prefix, last in counters.items():
            psql(postgres, f"INSERT INTO case_counters (prefix, last) VALUES ('{prefix}', {last}) ON CONFLICT (prefix) DO UPDATE SET last = excluded.last")
        psql(postgres, "DROP TABLE IF EXISTS search_seed")
        psql(postgres, "VACUUM ANALYZE people, cases, case_events, clocks, case_search")
    else:
        db.executemany("INSERT INTO case_counters (prefix, last) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET last = excluded.last", counters.items())
        db.commit()
        db.execute("ANALYZE")
    print(f"{args.cases} cases for {len(people)} requesters")
    ranked = sorted(holders.items(), key=lambda item: -item[1])
    for label, rank in [("most common", 0), ("rank 10", 9), ("rank 100", 99), ("rank 1,000", 999), ("rank 10,000", 9999)]:
        if rank < len(ranked):
            print(f"{label}: {ranked[rank][0]} in {ranked[rank][1]} cases")


if __name__ == "__main__":
    main()
