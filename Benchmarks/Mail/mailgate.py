#!/usr/bin/env python3
"""Messages per second through the mail gateway into a running desk, as a mail server's pipe
delivers them: one gateway process per message (`accord-mailgate`, or `--gateway "accord mailgate"`),
`--workers` at once (Postfix runs up to its transport's maxproc), every message a new case from a
known PLM customer. Reports messages/s, acceptance latency (the gateway process, start to exit)
p50/p99, and CPU per message: the server's (from /proc), the gateways' (children's rusage) and this
driver's own (its process start per message stands for the mail server's), and on PostgreSQL that
of its processes. The desk: `accord serve --demo` from the release build, on SQLite or
(DATABASE_URL) PostgreSQL.

    swift build -c release --product accord && swift build -c release --product accord-mailgate
    python3 Benchmarks/Data/make-mail-corpus.py /tmp/mail-corpus 2000
    python3 Benchmarks/Mail/mailgate.py --corpus /tmp/mail-corpus --messages 2000 --workers 8
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

parser = argparse.ArgumentParser()
parser.add_argument("--corpus", default="/tmp/mail-corpus")
parser.add_argument("--messages", type=int, default=2000)
parser.add_argument("--workers", type=int, default=8)
parser.add_argument("--accord", default=".build/release/accord")
parser.add_argument("--gateway", default=".build/release/accord-mailgate", help='the gateway command, e.g. ".build/release/accord mailgate"')
parser.add_argument("--port", type=int, default=8199)
args = parser.parse_args()

work = tempfile.mkdtemp(prefix="accord-mailbench-")
db = os.path.join(work, "desk.sqlite")
env = dict(os.environ)
server = subprocess.Popen([args.accord, "serve", "--db", db, "--attachments", os.path.join(work, "attachments"),
                           "--admin-token-file", os.path.join(work, "admin-token"), "--port", str(args.port), "--demo"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/health", timeout=1)
            break
        except Exception:
            time.sleep(0.25)
    token = subprocess.run([args.accord, "mail", "gateway-token", "create", "--label", "bench", "--db", db], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    token_file = os.path.join(work, "token")
    open(token_file, "w").write(token)
    # Each message from a known customer (Fjord Design, plm-group), with its own Message-ID and no tag.
    names = sorted(os.listdir(args.corpus))
    messages = []
    for i in range(args.messages):
        raw = open(os.path.join(args.corpus, names[i % len(names)]), "rb").read()
        raw = re.sub(rb"(?m)^From: .*$", b"From: Ola Nordmann <ola@fjord.demo>", raw, count=1)
        raw = re.sub(rb"(?m)^Message-ID: .*$", f"Message-ID: <bench-{i}-{time.time_ns()}@fjord.demo>".encode(), raw, count=1)
        raw = re.sub(rb"\[PLM-2026-\d+\] ", b"", raw, count=1)
        messages.append(raw)

    def cpu():
        fields = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def database_cpu():
        """CPU of every PostgreSQL process (its backends live as long as the server's pool)."""
        total = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                stat = open(f"/proc/{pid}/stat").read()
            except OSError:
                continue
            name, fields = stat.split("(", 1)[1].rsplit(")", 1)
            if name.startswith("postgres"):
                fields = fields.split()
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def deliver(raw):
        start = time.perf_counter()
        done = subprocess.run(args.gateway.split() + ["--url", f"http://127.0.0.1:{args.port}", "--token-file", token_file,
                               "--recipient", "support@plmgroup.no"], input=raw, capture_output=True)
        return time.perf_counter() - start, done.returncode, done.stdout, done.stderr

    cpu_before, database_before, start, own_before = cpu(), database_cpu(), time.perf_counter(), os.times()
    with ThreadPoolExecutor(args.workers) as pool:
        results = list(pool.map(deliver, messages))
    elapsed, cpu_used, own_after = time.perf_counter() - start, cpu() - cpu_before, os.times()
    database_used = database_cpu() - database_before
    gateways = (own_after.children_user + own_after.children_system) - (own_before.children_user + own_before.children_system)
    driver = (own_after.user + own_after.system) - (own_before.user + own_before.system)
    failed = [r for r in results if r[1] != 0]
    created = sum(1 for r in results if b'"case-created"' in r[2])
    latencies = sorted(r[0] for r in results)
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"{database}: {len(messages)} messages ({sum(map(len, messages)) / len(messages) / 1024:.1f} KB each) with {args.workers} workers: "
          f"{len(messages) / elapsed:.0f} messages/s, acceptance p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, "
          f"CPU per message: server {cpu_used / len(messages) * 1000:.2f} ms, gateway {gateways / len(messages) * 1000:.2f} ms, "
          f"driver {driver / len(messages) * 1000:.2f} ms"
          + (f", PostgreSQL {database_used / len(messages) * 1000:.2f} ms" if database == "PostgreSQL" else "")
          + f"; {created} cases created, {len(failed)} failed")
    if failed:
        print("first failure:", failed[0])
        sys.exit(1)
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)
