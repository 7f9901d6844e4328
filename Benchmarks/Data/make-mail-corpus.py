#!/usr/bin/env python3
"""Writes a corpus of typical support mail, composed by Python's own email package (so the desk's
parser reads mail it did not write): each message about 20 KB — a reply with quoted history as
text and HTML (multipart/alternative), every fourth with a small PDF and a PNG, every fifth in a
non-UTF-8 charset (ISO-8859-1, Shift_JIS, KOI8-R), subjects with encoded words.

    python3 Benchmarks/Data/make-mail-corpus.py /tmp/mail-corpus 2000
"""
import email.policy, os, random, sys
from email.message import EmailMessage

out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
rng = random.Random(19)
words = ("the server licence drawing assembly crash error update driver plotter network backup vault "
         "Störung über réponse сервер ошибка 図面 エラー please thanks again today tomorrow").split()
charsets = [("iso-8859-1", "Grüße aus Århus, die Zeichnung öffnet nicht. "), ("shift_jis", "図面が開きません。エラーが出ます。"),
            ("koi8-r", "Сервер не отвечает, ошибка лицензии. ")]
for n in range(count):
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = f"Kunde {n} <user{n}@customer{n % 50}.example>"
    msg["To"] = "PLM Support <support@plmgroup.dk>"
    msg["Cc"] = f"colleague{n}@customer{n % 50}.example"
    msg["Subject"] = f"Re: [PLM-2026-{n:06d}] " + " ".join(rng.choice(words) for _ in range(8))
    msg["Message-ID"] = f"<bench-{n}@customer{n % 50}.example>"
    msg["Date"] = "Tue, 03 Mar 2026 10:00:00 +0100"
    paragraphs = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(12)]
    text = "\n\n".join(paragraphs) + "\n\nOn Mon, 2 Mar 2026 at 09:00, PLM Support <support@plmgroup.dk> wrote:\n" + \
        "\n".join("> " + p for p in paragraphs[:6]) + "\n-- \nKunde\n"
    if n % 5 == 4:
        charset, sample = charsets[n % 3]
        msg.set_content(sample * 80 + text.encode(charset, "replace").decode(charset), charset=charset)
    else:
        msg.set_content(text)
    msg.add_alternative("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) +
                        "<blockquote>" + "<br>".join(paragraphs[:6]) + "</blockquote></body></html>", subtype="html")
    if n % 4 == 0:
        msg.add_attachment(bytes(rng.getrandbits(8) for _ in range(3000)), maintype="application", subtype="pdf", filename=f"Zeichnung {n}.pdf")
        msg.add_attachment(bytes(rng.getrandbits(8) for _ in range(2000)), maintype="image", subtype="png", filename="screenshot.png")
    with open(os.path.join(out, f"{n:05d}.eml"), "wb") as f:
        f.write(msg.as_bytes())
