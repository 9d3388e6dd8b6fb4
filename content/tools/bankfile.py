"""Reads and writes bank files question by question, keeping every line the author wrote (one-off editorial tools)."""
import re

HEADING = re.compile(r"^## (\S+)\s*$")
OPTION = re.compile(r"^- \[( |x|X)\] (.*)$")


def split(text):
    """[(id or None, [lines])]: the preamble (front matter) first, then one chunk per question."""
    chunks, current, qid = [], [], None
    for line in text.split("\n"):
        m = HEADING.match(line)
        if m:
            chunks.append((qid, current))
            current, qid = [], m.group(1)
        current.append(line)
    chunks.append((qid, current))
    return chunks


def join(chunks):
    return "\n".join("\n".join(lines) for _, lines in chunks)


def option_block(lines):
    """(start, end) of the contiguous task-list lines of a question."""
    start = next((i for i, l in enumerate(lines) if OPTION.match(l)), None)
    if start is None:
        return None
    end = start
    while end < len(lines) and OPTION.match(lines[end]):
        end += 1
    return start, end
