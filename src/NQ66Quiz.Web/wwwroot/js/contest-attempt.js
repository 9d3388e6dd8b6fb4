// Attempt page: saves each answer as it is chosen (the server acknowledges only after committing it), shows the
// countdown from the server's remaining seconds (not the phone's clock), marks answered questions in the navigator,
// counts answered questions in the sticky bar, asks in the page before submitting with questions left, and submits
// once — by the button or at the deadline (then it says so, here and on the result). Without this script the form
// still posts every answer.
(() => {
  "use strict";
  const form = document.getElementById("attempt");
  if (!form) return;
  const id = form.dataset.attemptId;
  const resultUrl = form.dataset.resultUrl;
  const deadline = Date.now() + Number(form.dataset.remaining) * 1000;
  const countdown = document.getElementById("countdown");
  const status = document.getElementById("save-status");
  const submitButton = document.getElementById("submit");
  const unsaved = new Set();
  let submitting = false;
  let asking = false;

  const say = (text, bad) => {
    status.textContent = text;
    status.classList.toggle("error", Boolean(bad));
  };

  const choicesOf = (position) =>
    [...form.querySelectorAll(`input[name="q${position}"]:checked`)].map((input) => Number(input.value));

  const questions = [...form.querySelectorAll("fieldset.question[data-position]")];
  const answeredCount = document.getElementById("answered-count");
  const mark = (position, answered) => {
    const link = document.querySelector(`#navigator [data-position="${position}"]`);
    if (link) link.classList.toggle("answered", answered);
    const done = questions.filter((q) => choicesOf(q.dataset.position).length > 0).length;
    if (answeredCount) answeredCount.textContent = `${done}/${questions.length}`;
  };

  // The in-page question before a submission with unanswered questions; resolves true to submit.
  const dialog = document.getElementById("submit-dialog");
  const ask = (text) => new Promise((resolve) => {
    if (!dialog || typeof dialog.showModal !== "function") { resolve(true); return; }
    document.getElementById("submit-dialog-text").textContent = text;
    const done = (answer) => {
      dialog.removeEventListener("close", onClose);
      dialog.close();
      resolve(answer);
    };
    const onClose = () => done(false);
    document.getElementById("submit-confirm").onclick = () => done(true);
    document.getElementById("submit-cancel").onclick = () => done(false);
    dialog.addEventListener("close", onClose);
    dialog.showModal();
    document.getElementById("submit-cancel").focus();
  });

  const put = (url, body) =>
    fetch(url, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  const problemOf = async (response) => {
    try { return await response.json(); } catch { return {}; }
  };

  async function save(position) {
    const choices = choicesOf(position);
    mark(position, choices.length > 0);
    unsaved.add(position);
    say("Đang lưu…");
    try {
      const response = await put(`/api/attempts/${id}/answers/${position}`, { choices });
      if (response.ok) {
        unsaved.delete(position);
        say(`Đã lưu câu ${position}`);
      } else {
        const problem = await problemOf(response);
        say(problem.title || "Không lưu được câu trả lời.", true);
        if (response.status === 409 && problem.resultUrl) location.href = problem.resultUrl;
      }
    } catch {
      say("Mất kết nối: câu trả lời sẽ được gửi kèm khi nộp bài.", true);
    }
  }

  async function savePrediction() {
    const input = document.getElementById("prediction");
    const value = input.value === "" ? null : Number(input.value);
    mark("prediction", value !== null);
    try {
      const response = await put(`/api/attempts/${id}/prediction`, { prediction: value });
      say(response.ok ? "Đã lưu số dự đoán" : (await problemOf(response)).title || "Không lưu được số dự đoán.", !response.ok);
    } catch {
      say("Mất kết nối: số dự đoán sẽ được gửi kèm khi nộp bài.", true);
    }
  }

  async function submit(atDeadline) {
    if (submitting || (asking && !atDeadline)) return;
    if (!atDeadline) {
      const empty = questions.filter((q) => choicesOf(q.dataset.position).length === 0).length;
      if (empty > 0) {
        asking = true; // a second tap while the dialog is open asks nothing more; the deadline still submits
        const go = await ask(`Còn ${empty} câu chưa trả lời. Bài đã nộp không sửa được. Vẫn nộp bài?`);
        asking = false;
        if (!go || submitting) return;
      }
    } else {
      document.getElementById("time-up").hidden = false;
      if (dialog?.open) dialog.close();
    }
    submitting = true;
    submitButton.disabled = true;
    say("Đang nộp bài…");
    const answers = [...form.querySelectorAll("fieldset.question[data-position]")]
      .map((q) => ({ position: Number(q.dataset.position), choices: choicesOf(q.dataset.position) }));
    const prediction = document.getElementById("prediction").value;
    try {
      const response = await fetch(`/api/attempts/${id}/submit`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ prediction: prediction === "" ? null : Number(prediction), answers }),
      });
      if (response.ok || response.status === 409) {
        location.href = atDeadline ? `${resultUrl}?het-gio=1` : resultUrl;
        return;
      }
      say((await problemOf(response)).title || "Không nộp được bài; thử lại.", true);
    } catch {
      say("Mất kết nối; bấm Nộp bài lại khi có mạng.", true);
    }
    submitting = false;
    submitButton.disabled = false;
  }

  form.addEventListener("change", (event) => {
    const match = /^q(\d+)$/.exec(event.target.name || "");
    if (match) save(Number(match[1]));
    else if (event.target.id === "prediction") savePrediction();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(false);
  });

  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    countdown.classList.toggle("urgent", left <= 60);
    if (left === 0) {
      clearInterval(timer);
      submit(true);
    }
  };
  const timer = setInterval(tick, 1000);
  tick();
})();
