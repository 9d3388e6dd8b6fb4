"""One-off: store each question's options in a stable mixed order, seeded by its id, keys moving with their options.

Why: attempts shuffle options, but the Excel export, the organizer's list and preview, a printed paper and a reviewer
read the stored order; with the key first in 286 of 289 single-answer questions the file order gave the key away.
Run from the repository root: python3 content/tools/reorder_options.py content/questions/*.md
"""
import hashlib
import random
import sys

from bankfile import OPTION, join, option_block, split


def order(qid, n):
    rng = random.Random(int.from_bytes(hashlib.sha256(qid.encode()).digest()[:8], "big"))
    perm = list(range(n))
    rng.shuffle(perm)
    return perm


for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    chunks = split(text)
    out = []
    for qid, lines in chunks:
        block = option_block(lines) if qid else None
        if block:
            s, e = block
            options = lines[s:e]
            perm = order(qid, len(options))
            lines = lines[:s] + [options[i] for i in perm] + lines[e:]
        out.append((qid, lines))
    open(path, "w", encoding="utf-8").write(join(out))
