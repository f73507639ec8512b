// sfc's execution report: colours the graph by what each state did, shows a
// state's entries when it is clicked, draws the timeline and the event
// table. Everything it reads is in the page (#sfc-data); nothing is fetched.
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("sfc-data").textContent);
  const EV = { id: 0, prev: 1, type: 2, at: 3, owner: 4, details: 5 };
  const EN = { state: 0, lane: 1, entered: 2, exited: 3, status: 4, attempts: 5, from: 6, to: 7 };
  const PAGE = 500;
  // State names are the user's: `constructor` must not find Object's.
  const own = (o, k) => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const byId = new Map();
  D.events.forEach((e, i) => byId.set(e[EV.id], i));
  const typeName = (e) => D.types[e[EV.type]];
  // Each entry's events, in order.
  const entryEvents = D.entries.map(() => []);
  D.events.forEach((e, i) => { if (e[EV.owner] >= 0) entryEvents[e[EV.owner]].push(i); });
  const entriesOf = new Map();
  D.entries.forEach((en, k) => {
    if (!entriesOf.has(en[EN.state])) entriesOf.set(en[EN.state], []);
    entriesOf.get(en[EN.state]).push(k);
  });
  const ms = (t) => (t >= 60000 ? (t / 60000).toFixed(1) + " min" : t >= 1000 ? (t / 1000).toFixed(2) + " s" : t + " ms");
  const details = (i) => { try { return JSON.parse(D.events[i][EV.details] || "null"); } catch (_) { return D.events[i][EV.details]; } };
  const pretty = (v) => {
    if (typeof v === "string") { try { return JSON.stringify(JSON.parse(v), null, 2); } catch (_) { return v; } }
    return JSON.stringify(v, null, 2);
  };

  // The graph: each state by its fate, each transition the run took.
  const svg = document.querySelector("#graph svg");
  const taken = new Set();
  D.entries.forEach((en) => {
    const prev = byId.get(D.events[en[EN.entered]][EV.prev]);
    const owner = prev === undefined ? -1 : D.events[prev][EV.owner];
    if (owner >= 0) taken.add(D.entries[owner][EN.state] + "\u0000" + en[EN.state]);
  });
  const executed = [];
  if (svg) {
    svg.querySelectorAll("[data-state]").forEach((g) => {
      const status = own(D.states, g.dataset.state) || "not-reached";
      g.classList.add("s-" + status);
      if (status !== "not-reached") executed.push(g.dataset.state);
      g.addEventListener("click", (ev) => { ev.stopPropagation(); show(g.dataset.state); });
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = g.dataset.state + ": " + status.replace("-", " ") + " (" + (entriesOf.get(g.dataset.state) || []).length + " entries)";
      g.appendChild(title);
    });
    svg.querySelectorAll(".edge[data-from][data-to]").forEach((g) => {
      if (taken.has(g.dataset.from + "\u0000" + g.dataset.to)) g.classList.add("taken");
    });
  }

  // A state's entries: input, parameters, output, errors, attempts.
  const SHOWN_ENTRIES = 20;
  function show(name) {
    if (svg) {
      svg.querySelectorAll(".selected").forEach((g) => g.classList.remove("selected"));
      svg.querySelectorAll("[data-state]").forEach((g) => { if (g.dataset.state === name) g.classList.add("selected"); });
    }
    const list = entriesOf.get(name) || [];
    const def = own(D.definition, name) || {};
    let html = "<h3>" + esc(name) + "</h3><div class=\"meta\">" + esc(def.type || "") + (def.resource ? " · " + esc(def.resource) : "") +
      " · " + esc((own(D.states, name) || "not-reached").replace("-", " ")) + " · " + list.length + " entr" + (list.length === 1 ? "y" : "ies") + "</div>";
    if (!list.length) html += "<p>Not reached in this execution.</p>";
    list.slice(0, SHOWN_ENTRIES).forEach((k, n) => {
      const en = D.entries[k];
      html += "<div class=\"entry\"><b>#" + (n + 1) + "</b> " + esc(en[EN.status]) + " · " + esc(D.lanes[en[EN.lane]]) +
        " · +" + ms(en[EN.from]) + " for " + ms(en[EN.to] - en[EN.from]) + (en[EN.attempts] > 1 ? " · " + en[EN.attempts] + " attempts" : "");
      const entered = details(en[EN.entered]);
      if (entered && entered.input !== undefined) html += "<div class=\"k\">input</div><pre>" + esc(pretty(entered.input)) + "</pre>";
      let params = 0;
      entryEvents[k].forEach((i) => {
        const t = typeName(D.events[i]);
        const d = details(i) || {};
        if (/Scheduled$/.test(t) && d.parameters !== undefined && params++ === 0) html += "<div class=\"k\">parameters sent</div><pre>" + esc(pretty(d.parameters)) + "</pre>";
        if (d.error !== undefined || d.cause !== undefined) html += "<div class=\"k\">" + esc(t) + " at +" + ms(D.events[i][EV.at]) + "</div><pre>" + esc((d.error || "") + (d.cause ? "\n" + pretty(d.cause) : "")) + "</pre>";
      });
      if (en[EN.exited] >= 0) {
        const exited = details(en[EN.exited]);
        if (exited && exited.output !== undefined) html += "<div class=\"k\">output</div><pre>" + esc(pretty(exited.output)) + "</pre>";
      }
      html += "</div>";
    });
    if (list.length > SHOWN_ENTRIES) html += "<p>… and " + (list.length - SHOWN_ENTRIES) + " more entries (see the events below).</p>";
    document.getElementById("details").innerHTML = html;
  }

  // The timeline: one lane per branch and iteration, bars by fate; task
  // attempts, back-offs and waits drawn over them.
  (function timeline() {
    const box = document.getElementById("timeline");
    // A loop, not Math.max(...all): a long history has more events than a call takes arguments.
    const end = D.events.reduce((m, e) => Math.max(m, e[EV.at]), 1);
    const left = 190, width = Math.max(600, box.clientWidth - left - 20), row = 18;
    const x = (t) => left + (t / end) * width;
    const perLane = D.lanes.map(() => []);
    D.entries.forEach((en, k) => perLane[en[EN.lane]].push(k));
    const h = 24 + D.lanes.length * row;
    let s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (left + width + 20) + "\" height=\"" + h + "\">" +
      "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"#bc4c00\" opacity=\"0.5\"/></pattern></defs>";
    for (let i = 0; i <= 4; i++) {
      const t = (end * i) / 4;
      s += "<line class=\"axis\" x1=\"" + x(t) + "\" x2=\"" + x(t) + "\" y1=\"14\" y2=\"" + h + "\"/><text x=\"" + (x(t) - (i === 4 ? 40 : 0)) + "\" y=\"11\">+" + ms(Math.round(t)) + "</text>";
    }
    // A lane of many entries (the shared "items 30+") draws at most this
    // many bars, and says how many it holds.
    const MAX_BARS = 400;
    perLane.forEach((list, l) => {
      const y = 18 + l * row;
      s += "<text class=\"lane-name\" x=\"4\" y=\"" + (y + 12) + "\">" + esc(D.lanes[l].length > 30 ? D.lanes[l].slice(0, 29) + "…" : D.lanes[l]) + (list.length > MAX_BARS ? " (" + list.length + ")" : "") + "</text>";
      list.slice(0, MAX_BARS).forEach((k) => {
        const en = D.entries[k];
        const w = Math.max(2, x(en[EN.to]) - x(en[EN.from]));
        s += "<rect class=\"bar s-" + en[EN.status] + "\" x=\"" + x(en[EN.from]) + "\" y=\"" + (y + 2) + "\" width=\"" + w + "\" height=\"" + (row - 5) + "\" rx=\"2\"><title>" +
          esc(en[EN.state] + " · " + en[EN.status] + " · +" + ms(en[EN.from]) + " for " + ms(en[EN.to] - en[EN.from])) + "</title></rect>";
      });
    });
    D.spans.forEach((sp) => {
      const en = D.entries[sp[0]];
      if (perLane[en[EN.lane]].length > MAX_BARS) return;
      const y = 18 + en[EN.lane] * row;
      const cls = sp[1] === "attempt" ? (sp[4] ? "bar s-succeeded" : "bar span-attempt-failed") : "span-" + sp[1];
      const w = Math.max(2, x(sp[3]) - x(sp[2]));
      s += "<rect class=\"" + cls + "\" x=\"" + x(sp[2]) + "\" y=\"" + (y + 5) + "\" width=\"" + w + "\" height=\"" + (row - 11) + "\"><title>" +
        esc(en[EN.state] + " · " + sp[1] + " · " + ms(sp[3] - sp[2])) + "</title></rect>";
    });
    box.innerHTML = s + "</svg>";
  })();

  // The events, filterable by type and state, a page at a time.
  const types = document.getElementById("f-type"), states = document.getElementById("f-state"), text = document.getElementById("f-text");
  D.types.forEach((t, i) => types.insertAdjacentHTML("beforeend", "<option value=\"" + i + "\">" + esc(t) + "</option>"));
  [...entriesOf.keys()].sort().forEach((n) => states.insertAdjacentHTML("beforeend", "<option>" + esc(n) + "</option>"));
  let page = 0;
  function rows() {
    const t = types.value === "" ? -1 : Number(types.value), st = states.value, q = text.value.toLowerCase();
    return D.events.filter((e) => (t < 0 || e[EV.type] === t) &&
      (st === "" || (e[EV.owner] >= 0 && D.entries[e[EV.owner]][EN.state] === st)) &&
      (q === "" || (e[EV.details] || "").toLowerCase().includes(q) || typeName(e).toLowerCase().includes(q)));
  }
  function table() {
    const list = rows();
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    page = Math.min(page, pages - 1);
    let html = "";
    list.slice(page * PAGE, page * PAGE + PAGE).forEach((e) => {
      const owner = e[EV.owner] >= 0 ? D.entries[e[EV.owner]][EN.state] : "";
      html += "<tr><td>" + e[EV.id] + "</td><td>" + e[EV.prev] + "</td><td>" + esc(typeName(e)) + "</td><td>+" + ms(e[EV.at]) + "</td><td>" + esc(owner) + "</td><td class=\"d\">" + esc(e[EV.details] || "") + "</td></tr>";
    });
    document.getElementById("events-body").innerHTML = html;
    document.getElementById("pager-text").textContent = list.length + " events · page " + (page + 1) + " of " + pages;
  }
  [types, states].forEach((el) => el.addEventListener("change", () => { page = 0; table(); }));
  text.addEventListener("input", () => { page = 0; table(); });
  document.getElementById("prev").addEventListener("click", () => { page = Math.max(0, page - 1); table(); });
  document.getElementById("next").addEventListener("click", () => { page += 1; table(); });
  table();

  const first = D.entries.find((en) => en[EN.status] === "failed" || en[EN.status] === "caught") || D.entries[0];
  if (first) show(first[EN.state]);
  // For tests and benchmarks: what the graph marks as executed, and how
  // long the page took to be ready (since navigation started).
  document.getElementById("sfc-self-check").textContent = JSON.stringify({ executed: executed.sort(), ready_ms: Math.round(performance.now()) });
})();
