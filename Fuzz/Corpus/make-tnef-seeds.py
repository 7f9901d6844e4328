#!/usr/bin/env python3
"""Writes the TNEF fuzzer's seeds (Corpus/TNEF): winmail.dat streams of the shapes Outlook sends,
made here so that no third party's files are committed. Run from Fuzz/: python3 Corpus/make-tnef-seeds.py"""
import os, struct

def attribute(level, kind, ident, data):
    return struct.pack('<BII', level, kind << 16 | ident, len(data)) + data + struct.pack('<H', sum(data) & 0xFFFF)

def pad(data):
    return data + b'\0' * (-len(data) % 4)

def properties(items):
    out = struct.pack('<I', len(items))
    for ptype, pid, value, named in items:
        out += struct.pack('<HH', ptype, pid)
        if named is not None:
            out += b'\x08\x20\x06\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46'
            if isinstance(named, int):
                out += struct.pack('<II', 0, named)
            else:
                name = named.encode('utf-16-le') + b'\0\0'
                out += struct.pack('<II', 1, len(name)) + pad(name)
        base = ptype & 0x0FFF
        fixed = {0x0002: 4, 0x0003: 4, 0x000A: 4, 0x000B: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x0014: 8, 0x0040: 8}.get(base)
        if fixed:
            values = value if ptype & 0x1000 else [value]
            if ptype & 0x1000:
                out += struct.pack('<I', len(values))
            for v in values:
                out += (v + b'\0' * fixed)[:fixed]
        else:
            values = value if ptype & 0x1000 else [value]
            out += struct.pack('<I', len(values))
            for v in values:
                out += struct.pack('<I', len(v)) + pad(v)
    return out

def stream(*attributes):
    return struct.pack('<IH', 0x223E9F78, 1) + b''.join(attributes)

def file(title, data, long_name=None, mime=None):
    props = [(0x0003, 0x0E20, struct.pack('<I', len(data)), None)]
    if long_name:
        props.append((0x001F, 0x3707, long_name.encode('utf-16-le') + b'\0\0', None))
    if mime:
        props.append((0x001E, 0x370E, mime.encode() + b'\0', None))
    return [attribute(2, 6, 0x9002, b'\0' * 14), attribute(2, 1, 0x8010, title.encode('cp1252') + b'\0'),
            attribute(2, 6, 0x800F, data), attribute(2, 6, 0x9005, properties(props))]

def lzfu_stored(rtf):
    return struct.pack('<IIII', len(rtf) + 12, len(rtf), 0x414C454D, 0) + rtf

# The specification's compressed example ([MS-OXRTFCP] 3.1.2).
compressed = bytes.fromhex('1a0000001c0000004c5a4675e2d44b5141000420575859' '5a0d6e7d010eb0')
codepage = attribute(1, 6, 0x9007, struct.pack('<II', 1252, 0))
seeds = {
    'one-file': stream(codepage, *file('REPORT~1.PDF', b'%PDF-1.7\n%%EOF\n', 'Quarterly report.pdf', 'application/pdf')),
    'two-files-and-body': stream(codepage, attribute(1, 2, 0x800C, b'Hello from Outlook\r\n\0'),
                                 *file('a.txt', b'first'), *file('caf\xe9.txt', b'')),
    'html-in-utf8': stream(codepage, attribute(1, 6, 0x9003, properties([
        (0x0003, 0x3FDE, struct.pack('<I', 65001), None),
        (0x0102, 0x1013, '<p>Hej, <b>æøå</b></p>'.encode('utf-8'), None)]))),
    'compressed-rtf': stream(codepage, attribute(1, 6, 0x9003, properties([(0x0102, 0x1009, compressed, None)]))),
    'stored-rtf': stream(codepage, attribute(1, 6, 0x9003, properties([
        (0x0102, 0x1009, lzfu_stored(rb"{\rtf1\ansi\ansicpg1252 Hej \'e6\'f8\'e5\par \u8364?{\*\htmltag <br>}\tab x}"), None)]))),
    'embedded-object': stream(codepage, attribute(2, 6, 0x9002, b'\0' * 14), attribute(2, 6, 0x9005, properties([
        (0x000D, 0x3701, b'\x07\x03\x02\0\0\0\0\0\xc0\0\0\0\0\0\0\x46' + stream(*file('inner.txt', b'inside')), None),
        (0x001F, 0x3001, 'Forwarded'.encode('utf-16-le') + b'\0\0', None)]))),
    'named-and-multivalued': stream(codepage, attribute(1, 6, 0x9003, properties([
        (0x101F, 0x8000, ['one'.encode('utf-16-le'), 'two'.encode('utf-16-le')], 'Keywords'),
        (0x0003, 0x8001, struct.pack('<I', 7), 0x8501),
        (0x1003, 0x1234, [struct.pack('<I', 1)], None),
        (0x001E, 0x1000, b'Plain body\0', None)]))),
}
os.makedirs('Corpus/TNEF', exist_ok=True)
for name, data in seeds.items():
    with open(f'Corpus/TNEF/{name}.tnef', 'wb') as f:
        f.write(data)
print(f'{len(seeds)} seeds written to Corpus/TNEF')
