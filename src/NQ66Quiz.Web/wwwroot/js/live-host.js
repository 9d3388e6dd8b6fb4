// Host console and projector of a live round (data-mode="host" or "projector"). Both only show what the server
// sends: the key arrives with QuestionClosed, so the projector can face the hall from the first question.
(() => {
  "use strict";
  const root = document.getElementById("live-host");
  const roundId = Number(root.dataset.round);
  const projector = root.dataset.mode === "projector";
  const $ = (id) => document.getElementById(id);
  const view = $("view");
  const letters = "ABCDEF";
  const fmt = (n) => Number(n).toLocaleString("vi-VN");
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const phases = { draft: "Chưa mở phòng", lobby: "Đang chờ người chơi", question: "Đang trả lời", closed: "Đã đóng câu hỏi", ended: "Đã kết thúc" };
  let offset = 0, timer = null, state = null;

  const retry = { nextRetryDelayInMilliseconds: (c) => Math.round(Math.min(10000, 1000 * 2 ** Math.min(c.previousRetryCount, 4)) * (0.5 + Math.random() / 2)) };
  const connection = new signalR.HubConnectionBuilder().withUrl("/hubs/live-host", { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets }).withAutomaticReconnect(retry).build();

  function stopTimer() { if (timer) { clearInterval(timer); timer = null; } }

  function question(q, paused, remainingMs) {
    offset = q.serverNowMs - Date.now();
    const countdown = el("p", "live-countdown");
    const stem = el("div", "live-stem"); stem.innerHTML = q.stemHtml;
    const list = el("ol", "live-options-static");
    q.options.forEach((o, i) => { const li = el("li"); li.append(el("span", "live-letter", letters[i])); const t = el("span"); t.innerHTML = o.html; li.append(t); list.append(li); });
    const progress = el("p", "live-progress"); progress.id = "progress";
    view.replaceChildren(el("p", "live-qhead", `Câu ${q.number}/${q.count}`), countdown, stem, list, progress);
    stopTimer();
    const tick = () => {
      const left = paused ? remainingMs : Math.max(0, q.closesAtMs - (Date.now() + offset));
      countdown.textContent = paused ? `Tạm dừng — còn ${Math.ceil(left / 1000)} giây` : `${Math.ceil(left / 1000)}`;
    };
    tick();
    if (!paused) timer = setInterval(tick, 250);
  }

  function board(b, title) {
    const wrap = el("div", "live-board-wrap");
    wrap.append(el("h2", null, title || "Bảng xếp hạng"));
    const list = el("ol", "live-board");
    b.top.forEach((e) => list.append(el("li", null, `${e.rank}. ${e.nickname}${e.unitName ? ` (${e.unitName})` : ""} — ${fmt(e.points)}`)));
    wrap.append(list);
    if (b.units.length) {
      const units = el("ol", "live-board");
      b.units.forEach((u) => units.append(el("li", null, `${u.rank}. ${u.unitName} — ${fmt(u.points)} (${u.playerCount} người)`)));
      wrap.append(el("h2", null, "Đơn vị"), units);
    }
    return wrap;
  }

  function closed(r) {
    stopTimer();
    const total = Math.max(1, r.answered);
    const dist = el("ul", "live-distribution");
    r.distribution.forEach((d, i) => {
      const li = el("li", d.correct ? "correct" : "");
      const bar = el("span", "bar"); bar.style.width = `${Math.round((d.count / total) * 100)}%`;
      const label = el("span", "label"); label.innerHTML = `${letters[i]}. ${d.html}`;
      li.append(label, bar, el("span", "count", `${d.count}${d.correct ? " ✓" : ""}`));
      dist.append(li);
    });
    view.replaceChildren(el("p", "live-qhead", r.voided ? `Câu ${r.question} đã được bỏ qua` : `Câu ${r.question}: đáp án đúng là ${letters[r.correctOption]}`),
      dist, el("p", null, `${r.answered}/${r.playerCount} người đã trả lời`));
    if (!state || state.leaderboardEachQuestion || !projector) view.append(board(r.leaderboard));
  }

  function podium(p) {
    stopTimer();
    const wrap = el("div", "live-podium-wrap");
    wrap.append(el("h2", null, "Bục vinh quang"));
    const steps = el("ol", "live-podium");
    p.players.forEach((e) => steps.append(el("li", `place-${e.rank}`, `${e.rank}. ${e.nickname} — ${fmt(e.points)} điểm`)));
    wrap.append(steps);
    if (p.units.length) {
      const units = el("ol", "live-podium");
      p.units.forEach((u) => units.append(el("li", `place-${u.rank}`, `${u.rank}. ${u.unitName} — ${fmt(u.points)} điểm`)));
      wrap.append(el("h2", null, "Đơn vị dẫn đầu"), units);
    }
    view.replaceChildren(wrap);
    if (!projector) results();
  }

  async function results() {
    const res = await fetch(`/api/organizer/live-rounds/${roundId}/results`);
    if (!res.ok) return;
    const rows = await res.json();
    $("results").hidden = false;
    $("results-body").replaceChildren(...rows.map((r) => {
      const tr = el("tr");
      [r.rank ?? "—", r.nickname, r.unitName ?? "", fmt(r.points), `${r.correctCount}/${r.scoredCount}`].forEach((v) => tr.append(el("td", null, String(v))));
      return tr;
    }));
  }

  function lobby(l) {
    $("count").textContent = fmt(l.playerCount);
    $("lobby").replaceChildren(...l.recent.map((p) => {
      const li = el("li", null, p.nickname + (p.unitName ? ` (${p.unitName})` : ""));
      if (!projector) {
        const remove = el("button", "secondary", "Mời ra"); remove.type = "button";
        remove.addEventListener("click", () => command("RemovePlayer", p.playerId));
        li.append(" ", remove);
      }
      return li;
    }));
  }

  function render(s) {
    state = s;
    $("title").textContent = s.title;
    $("pin").textContent = s.pin ?? "—";
    $("join-url").textContent = s.joinUrl ?? "";
    const qr = $("qr");
    if (s.pin && s.phase !== "ended") { qr.src = `/api/organizer/live-rounds/${roundId}/qr.svg?pin=${s.pin}`; qr.hidden = false; } else qr.hidden = true;
    $("phase").textContent = phases[s.phase] + (s.paused ? " (tạm dừng)" : "") + (s.locked ? " · phòng đã khóa" : "");
    $("count").textContent = fmt(s.playerCount);
    if (!projector) $("lock").textContent = s.locked ? "Mở khóa phòng" : "Khóa phòng";
    if (s.phase === "question" && s.question) question(s.question, s.paused, s.remainingMs);
    else if (s.phase === "closed" && s.lastResult) closed(s.lastResult);
    else if (s.phase === "ended") { if (s.podium) podium(s.podium); else if (!projector) results(); }
    else if (s.phase === "lobby") { stopTimer(); view.replaceChildren(el("p", "live-wait", projector ? "Quét mã QR hoặc nhập mã PIN để vào phòng" : "Chờ người chơi vào phòng rồi bấm Bắt đầu.")); }
  }

  async function command(name, ...args) {
    $("host-error") && ($("host-error").textContent = "");
    try {
      const r = await connection.invoke(name, roundId, ...args);
      if (r.error && $("host-error")) $("host-error").textContent = r.message;
      if (r.state) render(r.state);
    } catch (e) {
      if ($("host-error")) $("host-error").textContent = "Không thực hiện được: mất kết nối hoặc không có quyền.";
    }
  }

  connection.on("Lobby", lobby);
  connection.on("QuestionOpened", (q) => { if (state) state.phase = "question"; question(q, false, 0); });
  connection.on("AnswerProgress", (p) => { const e = $("progress"); if (e) e.textContent = `${p.answered}/${p.playerCount} người đã trả lời`; });
  connection.on("QuestionClosed", closed);
  connection.on("Leaderboard", () => {});
  connection.on("Paused", () => connection.invoke("Watch", roundId).then(render));
  connection.on("Resumed", () => connection.invoke("Watch", roundId).then(render));
  connection.on("Podium", podium);
  connection.on("State", render);
  connection.onreconnected(async () => render(await connection.invoke("Watch", roundId)));

  if (!projector) {
    document.querySelectorAll("[data-command]").forEach((b) => b.addEventListener("click", () => command(b.dataset.command)));
    $("lock").addEventListener("click", () => command("SetLocked", !(state && state.locked)));
  }

  (async () => {
    await connection.start();
    const s = await connection.invoke("Watch", roundId);
    render(s);
  })();
})();
