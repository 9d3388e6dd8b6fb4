"""One-off: replace distractors by id (absolutes balanced, lengths balanced, give-aways removed). Keys are never touched
here: a key change needs its explanation and review-log row changed with it. An explanation that quoted the old
distractor is updated to the new wording.
Usage: python3 content/tools/edit_options.py EDITS.tsv content/questions/*.md   (EDITS.tsv: id<TAB>old<TAB>new)
"""
import sys

from bankfile import OPTION, join, option_block, split

edits = {}
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.strip() or line.startswith("#"):
        continue
    qid, old, new = line.split("\t")
    edits.setdefault(qid, []).append((old.strip(), new.strip()))

done = set()
for path in sys.argv[2:]:
    chunks = split(open(path, encoding="utf-8").read())
    out = []
    for qid, lines in chunks:
        for old, new in edits.get(qid, []):
            s, e = option_block(lines)
            hits = [i for i in range(s, e) if OPTION.match(lines[i]).group(2) == old]
            if len(hits) != 1:
                raise SystemExit(f"{qid}: option not found: {old}")
            i = hits[0]
            if OPTION.match(lines[i]).group(1) != " ":
                raise SystemExit(f"{qid}: refuses to edit a key: {old}")
            lines[i] = "- [ ] " + new
            for j in range(e, len(lines)):
                if old in lines[j] and not lines[j].startswith("http"):
                    lines[j] = lines[j].replace(old, new)
                    lower = old[0].lower() + old[1:]
                lines[j] = lines[j].replace(old[0].lower() + old[1:], new[0].lower() + new[1:]) if old[0].lower() + old[1:] in lines[j] else lines[j]
            done.add((qid, old))
        out.append((qid, lines))
    open(path, "w", encoding="utf-8").write(join(out))

missing = [(q, o) for q, l in edits.items() for o, _ in l if (q, o) not in done]
if missing:
    raise SystemExit(f"not applied: {missing}")
print(f"{len(done)} options rewritten")
