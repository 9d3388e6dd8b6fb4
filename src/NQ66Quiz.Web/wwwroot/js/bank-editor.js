// Live preview and validator messages for the question editor (/to-chuc/ngan-hang/{id}).
// The server renders the HTML (raw HTML disabled, unsafe links removed), so it is inserted as is.
(function () {
  "use strict";
  var textarea = document.getElementById("bank-markdown");
  if (!textarea) return;
  var preview = document.getElementById("bank-preview");
  var issues = document.getElementById("bank-issues");
  var timer = null;
  var latest = 0;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showIssues(errors, warnings) {
    issues.replaceChildren();
    if (errors.length === 0 && warnings.length === 0) {
      issues.appendChild(el("p", "ok", "Không có lỗi."));
      return;
    }
    var list = el("ul", "bank-issues");
    errors.forEach(function (e) { list.appendChild(el("li", "error", "Dòng " + e.line + ", cột " + e.column + ": " + e.message)); });
    warnings.forEach(function (w) { list.appendChild(el("li", "", "Cảnh báo — dòng " + w.line + ": " + w.message)); });
    issues.appendChild(list);
  }

  function showPreview(q) {
    preview.replaceChildren();
    if (!q) return;
    var stem = el("div", "bank-preview-stem");
    stem.innerHTML = q.stemHtml;
    preview.appendChild(stem);
    var options = el("ol", "bank-preview-options");
    options.type = "A";
    q.options.forEach(function (o) {
      var li = el("li", o.correct ? "bank-correct" : "");
      li.innerHTML = o.html + (o.correct ? " ✓" : "");
      options.appendChild(li);
    });
    preview.appendChild(options);
    preview.appendChild(el("h3", "", "Giải thích"));
    var explanation = el("div", "bank-preview-explanation");
    explanation.innerHTML = q.explanationHtml;
    preview.appendChild(explanation);
    var source = el("p", "bank-preview-source");
    source.appendChild(el("strong", "", "Nguồn:"));
    // The document's title as text, its public address a link (as the server renders it).
    source.appendChild(document.createTextNode(" "));
    String(q.source || "").split(/(https?:\/\/\S+)/).forEach(function (part, i) {
      if (i % 2 === 0) { source.appendChild(document.createTextNode(part)); return; }
      var url = part.replace(/[.,;)]+$/, "");
      var link = el("a", "", url);
      link.href = url;
      link.rel = "noopener";
      source.appendChild(link);
      if (url.length < part.length) source.appendChild(document.createTextNode(part.slice(url.length)));
    });
    preview.appendChild(source);
  }

  function refresh() {
    var ticket = ++latest;
    fetch(textarea.dataset.previewUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ id: textarea.dataset.id, markdown: textarea.value })
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      if (ticket !== latest) return; // an older answer arriving late must not overwrite a newer one
      showIssues(data.errors, data.warnings);
      showPreview(data.questions[0]);
    }).catch(function () {
      if (ticket !== latest) return;
      issues.replaceChildren(el("p", "error", "Không kiểm tra được (mất kết nối hoặc phiên đăng nhập đã hết). Khi lưu, máy chủ vẫn kiểm tra lại."));
    });
  }

  textarea.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
