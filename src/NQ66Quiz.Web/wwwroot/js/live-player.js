// Player page of a live round: join by PIN, answer once per question, see one's result after each close.
// The server's clock rules: the countdown runs on server time (offset from serverNowMs), never on the phone's own.
(() => {
  "use strict";
  const root = document.getElementById("live-player");
  const $ = (id) => document.getElementById(id);
  const view = $("view");
  const letters = "ABCDEF";
  let offset = 0;          // server time − local time, ms
  let timer = null;
  let current = null;      // the open question
  let answered = null;     // option id chosen for it
  let joined = null;

  // Reconnect with jitter so a hall of phones that lost the same Wi-Fi does not come back in lock-step.
  const retry = { nextRetryDelayInMilliseconds: (c) => c.previousRetryCount >= 30 ? null
    : Math.round(Math.min(10000, 1000 * 2 ** Math.min(c.previousRetryCount, 4)) * (0.5 + Math.random() / 2)) };
  const connection = new signalR.HubConnectionBuilder().withUrl("/hubs/live", { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets }).withAutomaticReconnect(retry).build();

  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const clock = (serverNowMs) => { offset = serverNowMs - Date.now(); };
  const serverNow = () => Date.now() + offset;
  const tokenKey = (pin) => `nq66-live-${pin}`;
  const fmt = (n) => Number(n).toLocaleString("vi-VN");
  // The leaderboard after a question: kept in its own slot under the outcome, whichever of the two arrives first
  // (the board is one message to the whole room, the outcome one per phone).
  const boardSlot = el("div", "live-board-slot");

  function status(text) { $("connection").textContent = text; }

  function totals(points, streak) {
    $("score").textContent = fmt(points);
    $("streak").textContent = streak > 1 ? `· chuỗi ${streak} câu đúng` : "";
  }

  function stopTimer() { if (timer) { clearInterval(timer); timer = null; } }

  function showLobby(state) {
    stopTimer();
    view.replaceChildren(el("h2", null, state.title), el("p", "live-wait", "Bạn đã vào phòng. Chờ người dẫn bắt đầu…"));
  }

  function showQuestion(q, chosen, paused, remainingMs) {
    current = q; answered = chosen ?? null;
    clock(q.serverNowMs);
    const head = el("p", "live-qhead", `Câu ${q.number}/${q.count}`);
    const countdown = el("p", "live-countdown");
    const stem = el("div", "live-stem"); stem.innerHTML = q.stemHtml; // rendered from the bank's Markdown on the server
    const list = el("div", "live-options");
    q.options.forEach((o, i) => {
      const b = el("button", "live-option"); b.type = "button"; b.dataset.option = o.id;
      const tag = el("span", "live-letter", letters[i]); const text = el("span"); text.innerHTML = o.html;
      b.append(tag, text);
      b.disabled = answered !== null;
      if (answered === o.id) b.classList.add("chosen");
      b.addEventListener("click", () => answer(q, o.id, b));
      list.append(b);
    });
    const note = el("p", "live-note", answered !== null ? "Đã ghi nhận câu trả lời. Chờ kết quả…" : "");
    note.id = "note";
    view.replaceChildren(head, countdown, stem, list, note);
    stopTimer();
    const tick = () => {
      const left = paused ? remainingMs : Math.max(0, q.closesAtMs - serverNow());
      countdown.textContent = paused ? `Tạm dừng — còn ${Math.ceil(left / 1000)} giây` : `Còn ${Math.ceil(left / 1000)} giây`;
    };
    tick();
    if (!paused) timer = setInterval(tick, 250);
  }

  async function answer(q, option, button) {
    if (answered !== null) return;
    view.querySelectorAll(".live-option").forEach((b) => { b.disabled = true; });
    button.classList.add("chosen");
    try {
      const ack = await connection.invoke("Answer", { question: q.number, option });
      if (ack.error) {
        $("note").textContent = ack.message;
        if (ack.error === "unavailable") view.querySelectorAll(".live-option").forEach((b) => { b.disabled = false; });
        return;
      }
      answered = option;
      $("note").textContent = "Đã ghi nhận câu trả lời. Chờ kết quả…";
    } catch (e) {
      $("note").textContent = "Mất kết nối; đang kết nối lại, hãy bấm chọn lại sau giây lát.";
      view.querySelectorAll(".live-option").forEach((b) => { b.disabled = false; });
    }
  }

  function showOutcome(o) {
    stopTimer();
    totals(o.points, o.streak);
    const box = el("div", `live-outcome ${o.voided ? "" : o.correct ? "right" : "wrong"}`);
    box.append(el("p", "live-verdict", o.voided ? "Câu này được bỏ qua, không tính điểm." : o.correct ? "Chính xác!" : o.chosen === null ? "Bạn chưa trả lời kịp." : "Chưa đúng."));
    if (!o.voided) {
      const letter = current && current.number === o.question ? letters[current.options.findIndex((x) => x.id === o.correctOption)] : null;
      if (letter) box.append(el("p", null, `Đáp án đúng: ${letter}`));
      box.append(el("p", "live-gain", `+${fmt(o.pointsGained + o.streakBonus)} điểm${o.streakBonus ? ` (thưởng chuỗi ${fmt(o.streakBonus)})` : ""}`));
    }
    box.append(el("p", null, `Tổng: ${fmt(o.points)} điểm`));
    if (o.rank) box.append(el("p", "live-rank", `Hạng ${o.rank}/${o.playerCount}`));
    if (Number(boardSlot.dataset.question) !== o.question) boardSlot.replaceChildren();
    view.replaceChildren(box, boardSlot);
  }

  function showBoard(b) {
    if (current && current.number > b.afterQuestion) return; // a late board of a question already behind us
    const list = el("ol", "live-board");
    b.top.forEach((e) => list.append(el("li", null, `${e.rank}. ${e.nickname}${e.unitName ? ` (${e.unitName})` : ""} — ${fmt(e.points)}`)));
    boardSlot.replaceChildren(el("h3", null, "Bảng xếp hạng"), list);
    if (b.units.length) {
      const units = el("ol", "live-board");
      b.units.forEach((u) => units.append(el("li", null, `${u.rank}. ${u.unitName} — ${fmt(u.points)} (${u.playerCount} người)`)));
      boardSlot.append(el("h3", null, "Đơn vị"), units);
    }
    boardSlot.dataset.question = String(b.afterQuestion);
    if (!view.contains(boardSlot)) view.append(boardSlot);
  }

  function showFinal(f, podium) {
    stopTimer();
    const box = el("div", "live-final");
    box.append(el("h2", null, "Kết thúc!"));
    if (f) {
      totals(f.points, 0);
      box.append(el("p", "live-rank", `Bạn xếp hạng ${f.rank}/${f.playerCount}`),
        el("p", null, `${fmt(f.points)} điểm · đúng ${f.correctCount}/${f.scoredQuestions} câu (${Math.round(f.accuracy * 100)}%)`));
      if (f.unitRank) box.append(el("p", null, `Đơn vị của bạn xếp hạng ${f.unitRank}`));
    }
    if (podium) box.append(podiumList(podium));
    view.replaceChildren(box);
  }

  function podiumList(p) {
    const list = el("ol", "live-podium");
    p.players.forEach((e) => list.append(el("li", null, `${e.nickname} — ${fmt(e.points)}`)));
    return list;
  }

  function render(state) {
    clock(state.serverNowMs);
    totals(state.points, state.streak);
    if (state.phase === "lobby") showLobby(state);
    else if (state.phase === "question" && state.question) showQuestion(state.question, state.answeredOption, state.paused, state.remainingMs);
    else if (state.phase === "closed" && state.lastOutcome) { showOutcome(state.lastOutcome); if (state.leaderboard) showBoard(state.leaderboard); }
    else if (state.phase === "ended") showFinal(state.final, state.podium);
    else showLobby(state);
  }

  function entered(result, pin) {
    joined = { pin, token: result.rejoinToken, playerId: result.playerId };
    sessionStorage.setItem(tokenKey(pin), result.rejoinToken);
    $("join-form").hidden = true;
    $("game").hidden = false;
    $("me").textContent = result.nickname;
    render(result.state);
  }

  connection.on("QuestionOpened", (q) => showQuestion(q, null, false, 0));
  connection.on("QuestionClosed", showOutcome);
  connection.on("Leaderboard", showBoard);
  connection.on("Paused", (p) => { if (current) showQuestion(current, answered, true, p.remainingMs); });
  connection.on("Resumed", (r) => { if (current) { current = { ...current, closesAtMs: r.closesAtMs, serverNowMs: r.serverNowMs }; showQuestion(current, answered, false, 0); } });
  connection.on("Finished", (f) => showFinal(f, null));
  connection.on("Podium", (p) => view.append(el("h3", null, "Bục vinh quang"), podiumList(p)));
  connection.on("Removed", (r) => {
    if (joined) sessionStorage.removeItem(tokenKey(joined.pin));
    joined = null; stopTimer();
    view.replaceChildren(el("p", "error", r.message));
    connection.stop();
  });
  connection.onreconnecting(() => status("Mất kết nối, đang kết nối lại…"));
  connection.onreconnected(async () => {
    status("");
    if (!joined) return;
    const result = await connection.invoke("Rejoin", { token: joined.token });
    if (result.error) { status(result.message); return; }
    render(result.state);
  });
  connection.onclose(() => { if (joined) status("Đã mất kết nối. Tải lại trang để vào lại phòng với điểm đã có."); });

  let units = [];
  async function searchUnits(q) {
    const res = await fetch(`/api/units?q=${encodeURIComponent(q)}&limit=20`);
    units = res.ok ? await res.json() : [];
    const select = $("unit");
    select.replaceChildren(...units.map((u) => { const o = el("option", null, u.name); o.value = u.id; return o; }));
  }
  $("unit-search").addEventListener("input", (e) => searchUnits(e.target.value.normalize("NFC")));

  $("join-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const pin = $("pin").value.trim();
    $("join-error").textContent = "";
    if (!/^[0-9]{6}$/.test(pin)) { $("join-error").textContent = "Mã PIN gồm đúng 6 chữ số."; return; }
    const unitId = $("unit-field").hidden ? null : Number($("unit").value) || null;
    const result = await connection.invoke("Join", { pin, nickname: $("nickname").value.normalize("NFC"), unitId });
    if (result.error) {
      $("join-error").textContent = result.message;
      if (result.error === "unit_required") { $("unit-field").hidden = false; searchUnits(""); }
      return;
    }
    entered(result, pin);
  });

  (async () => {
    status("Đang kết nối…");
    try { await connection.start(); } catch { status("Không kết nối được máy chủ. Kiểm tra mạng rồi tải lại trang."); return; }
    status("");
    const pin = root.dataset.pin;
    const token = pin && sessionStorage.getItem(tokenKey(pin));
    if (token) {
      const result = await connection.invoke("Rejoin", { token });
      if (!result.error) entered({ ...result, rejoinToken: token }, pin);
    }
  })();
})();
