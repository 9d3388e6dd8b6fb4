"""One-off: sources as people cite them (document, section, article title, public address), not team-internal labels.

Before: 'Fact sheet §2.2, quan điểm 1 — https://...' and 'Kế hoạch (seed), mục 4 — nhiệm vụ (5)'. After: the document
and its part, then the article that quotes it with its publication and address.
Run from the repository root: python3 content/tools/rewrite_sources.py content/questions/*.md
"""
import re
import sys

from bankfile import join, split

HANOI_PLAN = "Kế hoạch số 244/KH-UBND ngày 9/9/2025 của UBND thành phố Hà Nội về tuyên truyền, phổ biến Nghị quyết số 66-NQ/TW"
HANOI_URL = "https://hanoi.gov.vn/chi-dao-cua-ubnd-thanh-pho-ha-noi/nang-cao-nhan-thuc-trong-xay-dung-va-thi-hanh-phap-luat-4250909170347446.htm"
HANOI_ARTICLE = "Cổng Thông tin điện tử Hà Nội, “Nâng cao nhận thức trong xây dựng và thi hành pháp luật”"

NQ = "Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị"
SECTIONS = {
    "2.1": NQ,
    "2.2": NQ + ", phần Quan điểm chỉ đạo",
    "2.3": NQ + ", phần Mục tiêu",
    "2.4": NQ + ", phần Nhiệm vụ, giải pháp",
    "2.5": "Văn bản triển khai Nghị quyết số 66-NQ/TW",
    "2.6": "Nghị quyết số 66/NQ-CP ngày 26/3/2025 của Chính phủ (văn bản khác, chỉ trùng số)",
    "2.7": HANOI_PLAN,
}

# The document a §2.5 article reports on, by its address.
FOLLOW_UP = {
    "vietnam.vn/en/thong-nhat-chi": "Nghị quyết số 197/2025/QH15 ngày 17/5/2025 của Quốc hội",
    "1508287.ldo": "Nghị quyết số 197/2025/QH15 ngày 17/5/2025 của Quốc hội",
    "luatvietnam.vn/resolution-no-197": "Nghị quyết số 197/2025/QH15 ngày 17/5/2025 của Quốc hội",
    "1642890.ldo": "Nghị quyết số 140/NQ-CP ngày 17/5/2025 của Chính phủ (Chương trình hành động)",
    "a260712.html": "Cổng Pháp luật quốc gia (khai trương 31/5/2025)",
    "78692.html": "Kế hoạch số 28-KH/ĐUQH ngày 16/5/2025 của Đảng ủy Quốc hội",
    "sggp.org.vn/ban-hanh-phuong-an": "Nghị quyết số 206/2025/QH15 ngày 24/6/2025 của Quốc hội và Quyết định số 1785/QĐ-TTg",
    "ata-legal.com": "Nghị quyết số 206/2025/QH15 ngày 24/6/2025 của Quốc hội",
    "quanlynhanuoc.vn": "Hội nghị toàn quốc quán triệt Nghị quyết số 66-NQ/TW và 68-NQ/TW (18/5/2025)",
    "en.vietnamplus.vn/resolution-66": "Kế hoạch thực hiện Nghị quyết số 66-NQ/TW của các bộ, ngành, địa phương",
    "thanhnien.vn/co-ban-hoan-thanh": NQ + ", phần Mục tiêu (mốc năm 2025)",
    "vnanet.vn": NQ + ", phần Mục tiêu",
}

ARTICLES = {
    "1500293.ldo": "Báo Lao Động, “Xây dựng pháp luật phải bám sát thực tiễn, đứng trên mảnh đất thực tiễn của Việt Nam”",
    "en.vneconomy.vn/politburos-resolution": "VnEconomy (bản tiếng Anh), “Politburo’s resolution on legislation formation and enforcement issued”",
    "vietbao.vn/dot-pha-the-che": "Việt Báo, “Đột phá thể chế cho kỷ nguyên vươn mình”",
    "1500583.ldo": "Báo Lao Động, “Dứt khoát từ bỏ tư duy ‘không quản được thì cấm’ trong xây dựng pháp luật”",
    "post1077970.vnp": "Báo điện tử VietnamPlus, “Công điện của Thủ tướng về hoàn thành thực thi cắt giảm thủ tục hành chính, điều kiện kinh doanh năm 2025”",
    "vietnam.vn/en/thong-nhat-chi": "Vietnam.vn, “Thống nhất chi không thấp hơn 0,5% tổng chi ngân sách cho công tác xây dựng pháp luật”",
    "78692.html": "Tạp chí Pháp luật Việt Nam (Vietnam Law Magazine), “Politburo Resolution 66: turning law into a development driver”",
    "dhcsnd.edu.vn": "Trường Đại học Cảnh sát nhân dân, “Nội dung cốt lõi của Nghị quyết số 66-NQ/TW về đổi mới công tác xây dựng và thi hành pháp luật”",
    "baodaklak.vn": "Báo Đắk Lắk, “Nghị quyết số 66-NQ/TW: Bản thiết kế chiến lược để tái cấu trúc nền tảng thể chế quốc gia”",
    "104454.html": "Tạp chí Doanh nghiệp và Hội nhập, “Nghị quyết số 66-NQ/TW: Công tác thi hành pháp luật phải đột phá để phát triển đất nước trong kỷ nguyên mới”",
    "1642890.ldo": "Báo Lao Động, “Bộ trưởng Bộ Tư pháp Nguyễn Hải Ninh: Nghị quyết số 66-NQ/TW thực sự là lời hiệu triệu cho một cuộc cải cách thể chế sâu sắc”",
    "vanban123.vn": "Vanban123, bản dịch tiếng Anh Nghị quyết số 66-NQ/TW (phần mở đầu)",
    "ictvietnam.vn": "Tạp chí Điện tử và Truyền thông (ICTVietnam), “‘Bộ tứ trụ cột’ giúp Việt Nam cất cánh”",
    "a260712.html": "Tạp chí Pháp lý, “Chuyển đổi số trong lập pháp và thi hành pháp luật: trí tuệ nhân tạo và dữ liệu mở – thách thức và cơ hội”",
    "a260796.html": "Tạp chí Pháp lý, “Nghiên cứu một số giải pháp hoàn thiện xây dựng pháp luật theo định hướng không hình sự hóa quan hệ dân sự, kinh tế”",
    "luatvietnam.vn/resolution-no-197": "LuatVietnam (bản tiếng Anh), “Resolution No. 197/2025/QH15 on special mechanisms and policies to create breakthroughs in law-making and law enforcement”",
    "tracuuquyhoach.com": "Tra cứu quy hoạch, “Hà Nội đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu trong kỷ nguyên mới”",
    "1508287.ldo": "Báo Lao Động, “Quốc hội chốt thêm cán bộ lập pháp được hỗ trợ 100% lương hệ số”",
    "nguoithoidai.com": "Người Thời Đại, “Bộ Chính trị yêu cầu cải cách pháp luật không đẩy khó cho dân và doanh nghiệp”",
    "vovworld.vn": "VOV World (bản tiếng Anh), “Party chief calls for institutional, legal breakthroughs for nation’s rise”",
    "tothethao.com": "Tô Thể Thao (bản tiếng Anh), “General Secretary To Lam to head national legal reform committee”",
    "thanhnien.vn/co-ban-hoan-thanh": "Báo Thanh Niên, “Cơ bản hoàn thành tháo gỡ những ‘điểm nghẽn’ do quy định pháp luật”",
    "sggp.org.vn/ban-hanh-phuong-an": "Báo Sài Gòn Giải Phóng, “Ban hành phương án xử lý vướng mắc do quy định pháp luật trước ngày 1-3-2027”",
    "en.vietnamplus.vn/resolution-66": "VietnamPlus (bản tiếng Anh), “Resolution 66 a clear call to action for profound institutional reform: Minister”",
    "74348.html": "Tạp chí Pháp luật Việt Nam (Vietnam Law Magazine), “Legislative work in the new era: some directions in the spirit of Resolution 66”",
    "vnanet.vn": "Thông tấn xã Việt Nam (bản tiếng Anh), “Resolution No. 66-NQ/TW and renewal of legal thinking”",
    "quanlynhanuoc.vn": "Tạp chí Quản lý nhà nước, tin Hội nghị toàn quốc quán triệt Nghị quyết số 66-NQ/TW và 68-NQ/TW",
    "ata-legal.com": "ATA Legal (bản tiếng Anh), “Resolution No. 206/2025/QH15: the NA Standing Committee and the Government are authorized to promulgate normative resolutions amending laws”",
    "english.hanoi.gov.vn": "Cổng Thông tin điện tử Hà Nội (bản tiếng Anh), “Law-making, enforcement a breakthrough in Vietnam’s institutional reform”",
    "hanoi.gov.vn/chi-dao": HANOI_ARTICLE,
}

URL = re.compile(r"https?://[^\s;]+")


def lookup(table, url):
    for key, value in table.items():
        if key in url:
            return value
    raise SystemExit(f"no entry for {url}")


def detail(labels):
    """What the label said beyond the section: 'quan điểm 1', 'nhiệm vụ 2', '(nội dung …)'."""
    d = re.sub(r"§\d\.\d", "", labels)
    d = re.sub(r"\s+và\s*(?=,|$)|^[\s,và]+|[\s,]+$", "", d).strip()
    d = re.sub(r"^(và|,)\s*", "", d)
    return d


def fact_segment(labels, urls):
    sections = re.findall(r"§(\d\.\d)", labels)
    parts = []
    for url in urls:
        if "2.5" in sections and any(k in url for k in FOLLOW_UP) and sections[0] in ("2.5", "2.3"):
            doc = lookup(FOLLOW_UP, url)
        elif any(k in url for k in FOLLOW_UP) and sections[0] == "2.5":
            doc = lookup(FOLLOW_UP, url)
        else:
            doc = SECTIONS.get(sections[0], NQ) if sections else NQ
        extra = detail(labels)
        if extra and sections and sections[0] in ("2.2", "2.4"):
            doc += f" ({extra.strip('()')})"
        parts.append(f"{doc} — {lookup(ARTICLES, url)} — {url}")
    return parts


def plan_segment(text):
    where = text.replace("Kế hoạch (seed)", "").strip(" ,—-")
    where = re.sub(r"\s*\((dòng|dòng) [^)]*\)", "", where)
    where = re.sub(r"\s*\(dòng \d+\)", "", where)
    where = where.replace("đoạn mở đầu (dòng 1)", "đoạn mở đầu").replace("(dòng 9)", "").replace("(dòng 10)", "")
    where = re.sub(r"\s+", " ", where).strip(" ,")
    where = re.sub(r"^nội dung tuyên truyền", "Nội dung tuyên truyền", where)
    if where.startswith("mục"):
        where = "Nội dung tuyên truyền, " + where
    head = HANOI_PLAN + (f", {where}" if where else "")
    return f"{head} — {HANOI_ARTICLE} — {HANOI_URL}"


def rewrite(source):
    if "Fact sheet" not in source and "(seed)" not in source and "§" not in source:
        return source
    out = []
    # Segments start at "Fact sheet", "Kế hoạch (seed)" or a bare "§" continuing the previous fact-sheet label.
    for seg in re.split(r"\s*;\s*(?=Fact sheet|Kế hoạch \(seed\)|§)", source.strip()):
        if seg.startswith("Kế hoạch (seed)"):
            out.append(plan_segment(seg))
            continue
        urls = URL.findall(seg)
        labels = URL.sub("", seg).replace("Fact sheet", "").strip(" —-;")
        if not urls:
            out.append(plan_segment(seg) if "Kế hoạch" in seg else (SECTIONS.get(re.findall(r"§(\d\.\d)", labels)[0], NQ) if "§" in labels else labels))
            continue
        out.extend(fact_segment(labels, urls))
    return "; ".join(dict.fromkeys(out))


for path in sys.argv[1:]:
    chunks = split(open(path, encoding="utf-8").read())
    result = []
    for qid, lines in chunks:
        if qid and "### Nguồn" in lines:
            i = lines.index("### Nguồn")
            j = i + 1
            while j < len(lines) and lines[j].strip() == "":
                j += 1
            k = j
            while k < len(lines) and lines[k].strip() != "":
                k += 1
            body = " ".join(lines[j:k])
            lines = lines[:j] + [rewrite(body)] + lines[k:]
        result.append((qid, lines))
    open(path, "w", encoding="utf-8").write(join(result))
