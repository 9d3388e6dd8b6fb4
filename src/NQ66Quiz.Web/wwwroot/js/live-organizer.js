// Organizer list of live rounds and the form that creates one from the bank.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const phases = { draft: "Chưa mở", lobby: "Đang chờ người chơi", question: "Đang diễn ra", closed: "Đang diễn ra", ended: "Đã kết thúc" };

  async function list() {
    const res = await fetch("/api/organizer/live-rounds");
    if (!res.ok) return;
    const rounds = await res.json();
    $("live-rounds").replaceChildren(...rounds.map((r) => {
      const li = el("li", "card");
      const a = el("a", null, r.title); a.href = `/to-chuc/truc-tiep/${r.id}`;
      li.append(a, el("p", "muted", `${phases[r.phase]} · ${r.questionCount} câu · ${r.playerCount} người chơi${r.unitMode ? " · theo đơn vị" : ""}${r.pin && r.phase !== "ended" ? ` · PIN ${r.pin}` : ""}`));
      return li;
    }));
  }

  $("create-live").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("create-error").textContent = "";
    const ids = $("questions").value.split(/\s+/).map((s) => s.trim()).filter(Boolean);
    const body = {
      title: $("title").value.normalize("NFC"),
      questionIds: ids.length ? ids : null,
      blueprint: ids.length ? null : [{ count: Number($("draw").value) }],
      timeLimitSeconds: Number($("limit").value),
      points: Number($("points").value),
      streakBonus: $("streak").checked,
      leaderboardEachQuestion: $("board").checked,
      unitMode: $("units").checked,
      requireIdentity: $("identity").checked,
      contestRoundId: $("contest-round").value ? Number($("contest-round").value) : null,
    };
    const res = await fetch("/api/organizer/live-rounds", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) {
      const problem = await res.json().catch(() => null);
      $("create-error").textContent = problem && problem.errors ? Object.values(problem.errors).flat().join(" ") : "Chưa tạo được vòng thi.";
      return;
    }
    const created = await res.json();
    location.href = `/to-chuc/truc-tiep/${created.roundId}`;
  });

  list();
})();
