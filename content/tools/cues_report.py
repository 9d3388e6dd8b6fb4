"""Lists single-answer questions whose key is the longest option (for the editor; not part of the bank)."""
import glob, re, sys
sys.path.insert(0, "tools")
from bankfile import split, option_block, OPTION

def plain(s): return re.sub(r"\s+", " ", s.replace("*", "").replace("`", "")).strip()
for f in sorted(glob.glob("questions/*.md")):
    for qid, lines in split(open(f).read()):
        if not qid: continue
        b = option_block(lines)
        if not b: continue
        opts = [OPTION.match(l) for l in lines[b[0]:b[1]]]
        keys = [m.group(2) for m in opts if m.group(1) != " "]
        if len(keys) != 1: continue
        ds = [m.group(2) for m in opts if m.group(1) == " "]
        k = len(plain(keys[0])); d = max(len(plain(x)) for x in ds)
        if k > d:
            stem = " ".join(lines[b[0]-8:b[0]]).split("```")[-1].strip()
            print(f"{qid}|{k}-{d}|{stem[:110]}\n  K: {keys[0]}\n  D: " + "\n  D: ".join(ds))
