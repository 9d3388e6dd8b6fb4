// Practice mode (/luyen-tap): draws a set of questions from /api/practice, shows them one at a time and, once a
// question is answered, the server's verdict, key and explanation. The key is never in the page before that.
// A visitor's results stay in this browser (localStorage); a signed-in participant's are kept by the server.
(function () {
  'use strict';

  var STORE = 'nq66.practice.v1';

  function loadStore() {
    try {
      var data = JSON.parse(localStorage.getItem(STORE) || 'null');
      if (data && typeof data === 'object' && data.tags && Array.isArray(data.sets)) return data;
    } catch (e) { /* unreadable or blocked storage: start afresh */ }
    return { tags: {}, sets: [] };
  }

  function saveStore(data) {
    try { localStorage.setItem(STORE, JSON.stringify(data)); } catch (e) { /* private mode or full: results are optional */ }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function post(url, body) {
    var response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify(body)
      });
    } catch (e) {
      throw new Error('Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.');
    }
    var json = null;
    try { json = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      var errors = json && json.errors ? Object.values(json.errors) : [];
      var message = (errors.length && errors[0][0]) || (json && json.title) || 'Máy chủ đang bận. Hãy thử lại sau ít phút.';
      if (json && json.detail) message += ' ' + json.detail;
      throw new Error(message);
    }
    return json;
  }

  function startPractice(root) {
    var scope = root.dataset.scope;
    var signedIn = root.dataset.signedIn === 'true';
    var status = root.querySelector('.practice-status');
    var set = null;
    var index = 0;
    var score = 0;

    function showError(message) {
      status.textContent = message;
      status.className = 'practice-status error';
    }

    function render() {
      var q = set.questions[index];
      root.replaceChildren(status);
      status.textContent = '';
      status.className = 'practice-status';

      var form = el('form', { 'class': 'practice-question', 'novalidate': '' });
      var fieldset = el('fieldset');
      var legend = el('legend');
      legend.appendChild(el('span', { 'class': 'practice-progress' }, 'Câu ' + q.number + '/' + set.questions.length));
      var stem = el('div', { 'class': 'practice-stem', 'tabindex': '-1' });
      stem.innerHTML = q.stemHtml; // rendered by the importer with raw HTML disabled
      legend.appendChild(stem);
      fieldset.appendChild(legend);
      if (q.kind === 'multiple') fieldset.appendChild(el('p', { 'class': 'practice-hint' }, 'Chọn tất cả các phương án đúng.'));

      var type = q.kind === 'multiple' ? 'checkbox' : 'radio';
      q.options.forEach(function (option, i) {
        var id = 'opt-' + q.number + '-' + i;
        var label = el('label', { 'class': 'practice-option', 'for': id, 'data-option-id': String(option.id) });
        var input = el('input', { type: type, id: id, name: 'option', value: String(option.id) });
        var text = el('span');
        text.innerHTML = option.html;
        label.append(input, text);
        fieldset.appendChild(label);
      });
      form.appendChild(fieldset);

      var submit = el('button', { type: 'submit', disabled: '' }, 'Trả lời');
      form.appendChild(submit);
      form.addEventListener('change', function () {
        submit.disabled = !form.querySelector('input:checked');
      });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var chosen = Array.prototype.map.call(form.querySelectorAll('input:checked'), function (i) { return Number(i.value); });
        if (chosen.length === 0) return;
        submit.disabled = true;
        answer(form, q, chosen).catch(function (err) { submit.disabled = false; showError(err.message); });
      });
      root.appendChild(form);
      stem.focus();
    }

    async function answer(form, q, chosen) {
      var feedback = await post('/api/practice/answers', { ticket: set.ticket, questionId: q.id, optionIds: chosen });
      if (feedback.correct) score++;
      if (!signedIn) remember(feedback);

      form.querySelectorAll('input').forEach(function (i) { i.disabled = true; });
      form.querySelectorAll('.practice-option').forEach(function (label) {
        var id = Number(label.dataset.optionId);
        var isKey = feedback.correctOptionIds.indexOf(id) >= 0;
        var picked = chosen.indexOf(id) >= 0;
        if (isKey) {
          label.classList.add('is-key');
          label.lastElementChild.appendChild(el('span', { 'class': 'practice-mark' }, ' (đáp án đúng)'));
        } else if (picked) {
          label.classList.add('is-wrong');
        }
      });
      form.querySelector('button[type=submit]').remove();

      var box = el('div', { 'class': 'practice-feedback ' + (feedback.correct ? 'is-right' : 'is-wrong'), 'tabindex': '-1' });
      box.appendChild(el('p', { 'class': 'practice-verdict' }, feedback.correct ? 'Chính xác!' : 'Chưa đúng.'));
      var explanation = el('div', { 'class': 'practice-explanation' });
      explanation.innerHTML = feedback.explanationHtml; // rendered by the importer with raw HTML disabled
      box.appendChild(explanation);
      var more = el('p', { 'class': 'practice-read-more' });
      more.appendChild(el('a', { href: feedback.readMoreUrl }, 'Đọc thêm: ' + feedback.readMoreTitle));
      box.appendChild(more);

      var last = index === set.questions.length - 1;
      var next = el('button', { type: 'button' }, last ? 'Xem kết quả' : 'Câu tiếp theo');
      next.addEventListener('click', function () {
        if (last) { finish(); } else { index++; render(); }
      });
      box.appendChild(next);
      root.appendChild(box);
      box.focus();
    }

    function remember(feedback) {
      var data = loadStore();
      feedback.tags.forEach(function (tag) {
        var t = data.tags[tag] || (data.tags[tag] = { answered: 0, correct: 0 });
        t.answered++;
        if (feedback.correct) t.correct++;
      });
      saveStore(data);
    }

    function finish() {
      root.replaceChildren(status);
      status.textContent = '';
      var total = set.questions.length;
      var box = el('div', { 'class': 'practice-summary', 'tabindex': '-1' });
      box.appendChild(el('h2', {}, 'Kết quả: đúng ' + score + '/' + total + ' câu'));
      box.appendChild(el('p', {}, score === total
        ? 'Rất tốt! Bạn đã nắm vững phần này.'
        : 'Hãy đọc lại tài liệu của phần này rồi luyện tập thêm.'));
      var actions = el('p', { 'class': 'practice-actions' });
      actions.append(
        el('a', { 'class': 'button', href: '/luyen-tap?phan=' + encodeURIComponent(scope) }, 'Luyện tập lại'), ' ',
        el('a', { 'class': 'button secondary', href: '/luyen-tap' }, 'Chọn phần khác'));
      box.appendChild(actions);
      root.appendChild(box);
      box.focus();
      if (!signedIn) {
        var data = loadStore();
        data.sets.unshift({ scope: scope, correct: score, total: total, at: new Date().toISOString() });
        data.sets = data.sets.slice(0, 20);
        saveStore(data);
      }
    }

    post('/api/practice/sets', { scope: scope })
      .then(function (s) { set = s; index = 0; score = 0; render(); })
      .catch(function (err) { showError(err.message); });
  }

  function showLocalResults(section) {
    var labels = JSON.parse(section.dataset.labels || '{}');
    var order = Object.keys(labels);
    var data = loadStore();
    var rows = Object.keys(data.tags)
      .filter(function (tag) { return labels[tag] && data.tags[tag].answered > 0; })
      .map(function (tag) { return { tag: tag, answered: data.tags[tag].answered, correct: data.tags[tag].correct }; });
    if (rows.length === 0) return;
    // Same order as the server's "Điểm yếu của tôi": lowest share right, then most answered, then page order.
    rows.sort(function (a, b) {
      return (a.correct / a.answered) - (b.correct / b.answered)
        || b.answered - a.answered
        || order.indexOf(a.tag) - order.indexOf(b.tag);
    });
    var body = section.querySelector('tbody');
    body.replaceChildren();
    rows.forEach(function (r) {
      var tr = el('tr');
      var name = el('td');
      name.appendChild(el('a', { href: '/luyen-tap?phan=' + encodeURIComponent(r.tag) }, labels[r.tag]));
      tr.append(name, el('td', {}, String(r.answered)), el('td', {}, String(r.correct)),
        el('td', {}, Math.round(100 * r.correct / r.answered) + '%'));
      body.appendChild(tr);
    });
    section.hidden = false;
    section.querySelector('#local-results-clear').addEventListener('click', function () {
      try { localStorage.removeItem(STORE); } catch (e) { /* nothing stored */ }
      section.hidden = true;
    });
  }

  var root = document.getElementById('practice');
  if (root) startPractice(root);
  var local = document.getElementById('local-results');
  if (local) showLocalResults(local);
})();
