// Registration page: an accent-insensitive search over the unit tree ("hoan kiem" finds "Phường Hoàn Kiếm" and its
// schools, each shown with its parent: "Trường THCS … — Phường Hoàn Kiếm"; asked of
// the server so the rule is the same everywhere), the guardian section shown only for people under 16, the date of
// birth typed as ngày/tháng/năm, and a field's error cleared as soon as the field is put right.
(() => {
  "use strict";
  const search = document.getElementById("unit-search");
  const select = document.getElementById("unit");
  if (search && select) {
    search.hidden = false;
    let timer;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const chosen = select.value;
        const response = await fetch(`/api/units?limit=200&q=${encodeURIComponent(search.value)}`);
        if (!response.ok) return;
        const units = await response.json();
        select.replaceChildren(new Option(units.length ? "— Chọn đơn vị —" : "Không tìm thấy đơn vị; thử từ khác", ""));
        for (const unit of units) select.add(new Option(unit.label, unit.id, false, String(unit.id) === chosen));
        if (units.length === 1) {
          select.value = String(units[0].id);
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }, 200);
    });
  }

  // "15/4/1990", "15-04-1990", "15.04.1990", "15041990" or the ISO "1990-04-15": a real calendar date, or null.
  const parseDate = (text) => {
    const value = text.trim();
    let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value) || /^(\d{2})(\d{2})(\d{4})$/.exec(value);
    let day, month, year;
    if (m) [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    else return null;
    const date = new Date(year, month - 1, day);
    return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
  };
  const two = (n) => String(n).padStart(2, "0");

  const dob = document.getElementById("dob");
  const guardian = document.getElementById("guardian");
  if (dob) {
    // Written back as dd/mm/yyyy once it is a date, so what the person reads is what is sent.
    dob.addEventListener("blur", () => {
      const born = parseDate(dob.value);
      if (born) dob.value = `${two(born.getDate())}/${two(born.getMonth() + 1)}/${born.getFullYear()}`;
    });
  }
  if (dob && guardian) {
    const update = () => {
      const born = parseDate(dob.value);
      if (!born) {
        // No date yet: keep the section out of an adult's way unless the server flagged something in it.
        guardian.hidden = !guardian.querySelector(".field-error:not(:empty)");
        return;
      }
      const now = new Date();
      let age = now.getFullYear() - born.getFullYear();
      if (now < new Date(now.getFullYear(), born.getMonth(), born.getDate())) age--;
      guardian.hidden = age >= 16;
    };
    dob.addEventListener("input", update);
    dob.addEventListener("change", update);
    update();
  }

  // The server's message stays until the field holds something it could accept; then it goes, with aria-invalid.
  // These checks only decide when to clear a message: the server still validates everything on submit.
  const form = document.getElementById("register-form");
  if (!form) return;
  const digits = (v) => v.replace(/[\s.\-()]/g, "");
  const fixed = {
    fullName: (c) => c.value.trim().length > 0,
    dateOfBirth: (c) => { const d = parseDate(c.value); return d !== null && d < new Date(); },
    phone: (c) => /^(0|\+?84)\d{9}$/.test(digits(c.value)),
    nationalId: (c) => c.value.trim() === "" || /^\d{12}$/.test(digits(c.value)),
    unitId: (c) => c.value !== "",
    participantType: (c) => form.querySelector("input[name='Form.ParticipantType']:checked") !== null,
    password: (c) => c.value.length >= 8,
    guardianName: (c) => c.value.trim().length > 0,
  };
  for (const error of form.querySelectorAll(".field-error")) {
    // The control an error belongs to: the field just before it, or the choices of its fieldset.
    const previous = error.previousElementSibling;
    let controls = previous?.matches("input, select, textarea") ? [previous]
      : previous ? [...previous.querySelectorAll("input")] : [];
    if (controls.length === 0) continue;
    if (controls[0].type === "radio") controls = [...form.querySelectorAll(`input[name="${controls[0].name}"]`)];
    const check = fixed[error.dataset.field] ?? ((c) => c.type !== "checkbox" || c.checked);
    if (!error.id) error.id = `error-${controls[0].id || controls[0].name.replace(/\W/g, "-")}`;
    for (const c of controls) c.setAttribute("aria-describedby", [c.getAttribute("aria-describedby"), error.id].filter(Boolean).join(" "));
    const mark = () => {
      const bad = error.textContent.trim() !== "";
      for (const c of controls) {
        if (bad) c.setAttribute("aria-invalid", "true");
        else c.removeAttribute("aria-invalid");
      }
    };
    const clear = () => {
      if (error.textContent.trim() === "" || !controls.every((c) => check(c))) return;
      error.textContent = "";
      mark();
    };
    for (const c of controls) {
      c.addEventListener("input", clear);
      c.addEventListener("change", clear);
    }
    mark();
  }
})();
