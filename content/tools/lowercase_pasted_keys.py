"""One-off: an option pasted into an explanation mid-sentence reads as part of the sentence ("ra đời **ngày 30/4/2025**"),
so its first letter is lowered unless it starts a name (a document, a body, a title, a place).
Run from the repository root: python3 content/tools/lowercase_pasted_keys.py content/questions/*.md
"""
import re
import sys

NAMES = ("Nghị quyết", "Kế hoạch số", "Kế hoạch 244", "Tổng Bí thư", "Đảng", "Quốc hội", "Chính phủ", "Bộ Chính trị",
         "Bộ Tư pháp", "Bộ ", "Ban Chỉ đạo", "Ban ", "Mặt trận", "Hiến pháp", "Nhà nước", "Nhân dân", "UBND", "Cổng",
         "Hội đồng", "Thủ tướng", "Phó Thủ tướng", "Thành phố", "Thủ đô", "Luật ", "Quyết định số", "Quyết định 288",
         "Việt Nam", "Chủ tịch", "Văn phòng", "Sở ", "Ủy ban", "Trung ương", "Hội nghị toàn quốc", "Kỷ nguyên",
         "Tư pháp", "ASEAN", "Quỹ", "Chương trình hành động")

BOLD = re.compile(r"\*\*(.+?)\*\*")


def lower_first(s):
    return s[0].lower() + s[1:]


def fix(explanation):
    def repl(m):
        before = explanation[:m.start()].rstrip()
        text = m.group(1)
        if before == "" or before[-1] in ".!?\n" or not text[0].isupper():
            return m.group(0)
        if text.startswith(NAMES) or (len(text) > 1 and text[1].isupper()):
            return m.group(0)
        return "**" + lower_first(text) + "**"
    return BOLD.sub(repl, explanation)


for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"(### Giải thích\n\n)(.*?)(\n\n### Nguồn)", lambda m: m.group(1) + fix(m.group(2)) + m.group(3), text, flags=re.S)
    open(path, "w", encoding="utf-8").write(text)
