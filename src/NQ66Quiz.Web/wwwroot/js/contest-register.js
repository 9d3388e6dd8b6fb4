// Registration page: an accent-insensitive search over the unit tree ("hoan kiem" finds "Phường Hoàn Kiếm" and its
// schools, each shown with its parent: "Trường THCS … — Phường Hoàn Kiếm"; asked of
// the server so the rule is the same everywhere), and the guardian section shown only for people under 16.
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
        if (units.length === 1) select.value = String(units[0].id);
      }, 200);
    });
  }

  const dob = document.getElementById("dob");
  const guardian = document.getElementById("guardian");
  if (dob && guardian) {
    const update = () => {
      const born = new Date(dob.value);
      if (Number.isNaN(born.getTime())) {
        // No date yet: keep the section out of an adult's way unless the server flagged something in it.
        guardian.hidden = !guardian.querySelector(".field-error:not(:empty)");
        return;
      }
      const now = new Date();
      let age = now.getFullYear() - born.getFullYear();
      if (now < new Date(now.getFullYear(), born.getMonth(), born.getDate())) age--;
      guardian.hidden = age >= 16;
    };
    dob.addEventListener("change", update);
    update();
  }
})();
