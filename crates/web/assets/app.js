// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var tr = document.documentElement.lang !== "en";

  // A "show" toggle on password fields.
  document.querySelectorAll('input[type="password"]').forEach(function (input) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "toggle";
    b.textContent = tr ? "Parolayı göster" : "Show password";
    b.setAttribute("aria-controls", input.id);
    b.addEventListener("click", function () {
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      b.textContent = show ? (tr ? "Parolayı gizle" : "Hide password") : (tr ? "Parolayı göster" : "Show password");
    });
    input.insertAdjacentElement("afterend", b);
  });

  // The menu folds away on a phone.
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    nav.classList.add("collapsed");
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("collapsed") === false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Irreversible actions ask first: <form data-confirm="…">.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // … and so does one button of several: <button data-confirm="…">.
  document.querySelectorAll("button[data-confirm]").forEach(function (b) {
    b.addEventListener("click", function (e) {
      if (!window.confirm(b.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // The leave form counts the working days as the dates are picked: a
  // moment after the last keystroke, only whole dates, and only the
  // answer to the latest question is shown.
  var leave = document.querySelector("form[data-working-days]");
  if (leave) {
    var lf = leave.querySelector('input[name="from"]');
    var lt = leave.querySelector('input[name="to"]');
    var out = document.getElementById("l-days");
    var dec = leave.getAttribute("data-decimal") || ",";
    var asked = 0, timer = null;
    var whole = function (v) { return /^\d{4}-\d{2}-\d{2}$/.test(v) && v.slice(0, 4) >= "1900"; };
    var kind = leave.querySelector('select[name="kind"]');
    var count = function () {
      var n = ++asked;
      if (!whole(lf.value) || !whole(lt.value)) { out.textContent = ""; return; }
      // Leave counted in calendar days (unpaid leave; marriage, death and
      // paternity leave) is counted here, weekends and holidays included.
      var opt = kind && kind.options[kind.selectedIndex];
      if (opt && opt.hasAttribute("data-calendar")) {
        var d = (Date.parse(lt.value) - Date.parse(lf.value)) / 86400000 + 1;
        // Reversed dates: the server's answer says why.
        if (d > 0) {
          out.textContent = d + " " + out.getAttribute("data-calendar-unit");
          return;
        }
      }
      var url = leave.getAttribute("data-working-days") + "?from=" + encodeURIComponent(lf.value) + "&to=" + encodeURIComponent(lt.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
        .then(function (x) {
          if (n !== asked) return;
          if (x[0]) out.textContent = String(x[1].days).replace(".", dec) + " " + out.getAttribute("data-unit");
          else out.textContent = (x[1].error && x[1].error.message) || "";
        })
        .catch(function () { if (n === asked) out.textContent = ""; });
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(count, 300); };
    ["change", "input"].forEach(function (ev) {
      lf.addEventListener(ev, later);
      lt.addEventListener(ev, later);
    });
    if (kind) kind.addEventListener("change", count);
    count();
  }

  // What waits: the badges and the dashboard's counts follow the server
  // (the ETag makes an unchanged answer a 304 with no body).
  var counted = document.querySelectorAll("[data-inbox], [data-inbox-sum]");
  if (counted.length && document.querySelector(".who")) {
    var refresh = function () {
      fetch("/api/v1/me/inbox", { credentials: "same-origin", cache: "no-cache", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (inbox) {
          if (!inbox) return;
          var show = function (n) { return n >= inbox.cap ? n + "+" : String(n); };
          document.querySelectorAll("[data-inbox]").forEach(function (el) {
            var n = inbox[el.getAttribute("data-inbox")];
            if (typeof n === "number") {
              el.textContent = show(n);
              var card = el.closest(".dash-card");
              if (card) card.classList.toggle("zero", n === 0);
            }
          });
          document.querySelectorAll("[data-inbox-sum]").forEach(function (el) {
            var n = 0;
            el.getAttribute("data-inbox-sum").split(" ").forEach(function (k) { n += inbox[k] || 0; });
            el.textContent = show(n);
            el.hidden = n === 0;
            el.setAttribute("aria-label", n + " " + (tr ? "bekleyen iş" : "waiting"));
          });
        })
        .catch(function () {});
    };
    refresh();
    setInterval(function () { if (!document.hidden) refresh(); }, 30000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
  }

  // Keys: "/" goes to search; j and k move through a list's rows, Enter opens.
  var rows = function () { return Array.prototype.slice.call(document.querySelectorAll("table.grid tbody tr")); };
  var at = -1;
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "/") {
      var q = document.querySelector('input[type="search"], input[name="q"]');
      e.preventDefault();
      if (q) q.focus(); else window.location.href = "/ara";
      return;
    }
    var list = rows();
    if (!list.length || (e.key !== "j" && e.key !== "k" && e.key !== "Enter")) return;
    if (e.key === "Enter") {
      if (at >= 0 && list[at]) { var a = list[at].querySelector("a"); if (a) { e.preventDefault(); a.click(); } }
      return;
    }
    if (at >= 0 && list[at]) list[at].classList.remove("kbd");
    at = e.key === "j" ? Math.min(at + 1, list.length - 1) : Math.max(at - 1, 0);
    list[at].classList.add("kbd");
    var link = list[at].querySelector("a");
    if (link) link.focus();
    list[at].scrollIntoView({ block: "nearest" });
  });
});

// The letter form: addressee rows added and removed as needed (the server
// reads r_*_0 … r_*_49; an emptied row is dropped).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("recipients");
  var add = document.getElementById("add-recipient");
  if (!box || !add) return;
  var rows = function () { return box.querySelectorAll("[data-row]"); };
  var wire = function (row) {
    var b = row.querySelector(".remove-row");
    if (!b) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      if (rows().length > 1) row.remove();
      else row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
    });
  };
  rows().forEach(wire);
  add.hidden = false;
  add.addEventListener("click", function () {
    var all = rows();
    if (all.length >= 50) return;
    var last = all[all.length - 1];
    var next = 0;
    all.forEach(function (r) { next = Math.max(next, parseInt(r.getAttribute("data-row"), 10) + 1); });
    var row = last.cloneNode(true);
    row.setAttribute("data-row", String(next));
    row.querySelectorAll("input, select").forEach(function (el) {
      el.name = el.name.replace(/_\d+$/, "_" + next);
      if (el.id) el.id = el.id.replace(/-\d+$/, "-" + next);
      if (el.tagName === "INPUT") el.value = "";
    });
    last.insertAdjacentElement("afterend", row);
    wire(row);
    var first = row.querySelector("input");
    if (first) first.focus();
  });
});

// The letter's live preview: the form is printed into the frame beside it
// a moment after typing stops (nothing is saved).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("letter-form");
  var button = document.getElementById("preview-button");
  if (!form || !button || !form.requestSubmit) return;
  var timer = null;
  var refresh = function () { form.requestSubmit(button); };
  form.addEventListener("input", function (e) {
    if (e.target && e.target.type === "file") return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 1200);
  });
  refresh();
});

// A form refused and shown again at its post address keeps the CSRF token
// in the address bar (`?_csrf=…`): take it out of what the user sees.
if (window.history && history.replaceState && /[?&]_csrf=/.test(location.search)) {
  var params = new URLSearchParams(location.search);
  params.delete("_csrf");
  var rest = params.toString();
  history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
}

// The address book: an institution picked by name fills its DETSİS
// number and marks the row as an institution.
document.addEventListener("change", function (e) {
  var input = e.target;
  if (!input || !input.name || !/^r_name_\d+$/.test(input.name)) return;
  var list = document.getElementById("institutions");
  if (!list) return;
  var match = Array.prototype.find.call(list.options, function (o) { return o.value === input.value; });
  if (!match) return;
  var row = input.closest("[data-row]");
  if (!row) return;
  var detsis = row.querySelector('input[name^="r_detsis_"]');
  var kind = row.querySelector('select[name^="r_kind_"]');
  if (detsis && !detsis.value) detsis.value = match.getAttribute("data-detsis") || "";
  if (kind) kind.value = "institution";
});
