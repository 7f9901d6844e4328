#!/usr/bin/env python3
"""Python's email (policy default) reading a corpus as the desk reads it: the message, every
part's decoded content and text, and the plain body — the reference for the parser's speed.
Prints MB/s and messages/s, best of the runs.

    python3 Benchmarks/Python/email_parse.py /tmp/mail-corpus 5
"""
import email, email.policy, os, sys, time

directory, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
messages = [open(os.path.join(directory, n), "rb").read() for n in sorted(os.listdir(directory))]
size = sum(len(m) for m in messages)
best = None
for _ in range(runs):
    start = time.perf_counter()
    for raw in messages:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        str(msg["subject"]); msg["from"].addresses
        for part in msg.walk():
            if part.is_multipart():
                continue
            payload = part.get_payload(decode=True)
            if part.get_content_maintype() == "text":
                part.get_content()
            part.get_filename()
        msg.get_body(("plain", "html"))
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(f"python email: {len(messages)} messages, {size / 1e6:.1f} MB in {best:.3f} s: {size / 1e6 / best:.1f} MB/s, {len(messages) / best:.0f} messages/s")
