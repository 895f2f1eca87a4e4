// The dashboard: renders the /_mock JSON API into the page, and polls it while "Live" is on.
// Every URL is relative to /_mock/ui, so "tenants" is /_mock/tenants wherever /_mock is served.
// Text from the sandbox is only ever set as textContent, never parsed as HTML.
"use strict";

const POLL_MS = 2000;
const PAGE_SIZE = 50;
const state = { view: "tenants", before: [], openEntry: null, entries: new Map(), shown: {} };

// A poll that brings what is already on screen leaves the page alone, so a control
// keeps its focus and what was typed into it.
function changed(view, data) {
  const key = JSON.stringify(data);
  if (state.shown[view] === key) return false;
  state.shown[view] = key;
  return true;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

async function api(path, options = {}) {
  const init = { ...options, headers: { Accept: "application/json" } };
  if (options.json !== undefined) {
    init.method = init.method || "POST";
    init.body = JSON.stringify(options.json);
    init.headers["Content-Type"] = "application/json";
  }
  // Resolved against the page without the user name and password a URL may carry
  // (fetch refuses a URL that holds them; the browser sends them itself).
  const response = await fetch(new URL(path, location.origin + location.pathname), init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${init.method || "GET"} ${path}: ${response.status} ${body.error || ""}`);
  return body;
}

function report(error) {
  document.getElementById("status").textContent = error ? String(error.message || error) : "";
}

// Instants as the API writes them (2024-05-01T10:00:00.000Z); the journal's are epoch seconds.
function simTime(value) {
  if (value === null || value === undefined) return "—";
  return typeof value === "number" ? new Date(value * 1000).toISOString() : value;
}

// Bodies are shown as their type reads best: JSON and XML indented, anything else as sent.
function pretty(text) {
  if (!text) return "";
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try { return JSON.stringify(JSON.parse(trimmed), null, 2); } catch (_) { return text; }
  }
  if (trimmed.startsWith("<")) {
    const doc = new DOMParser().parseFromString(trimmed, "application/xml");
    if (!doc.querySelector("parsererror")) return xmlLines(doc.documentElement, "").join("\n");
  }
  return text;
}

function xmlLines(node, indent) {
  const attrs = Array.from(node.attributes, (a) => ` ${a.name}="${a.value}"`).join("");
  const children = Array.from(node.childNodes).filter(
    (c) => c.nodeType === Node.ELEMENT_NODE || (c.nodeType === Node.TEXT_NODE && c.textContent.trim()));
  if (children.length === 0) return [`${indent}<${node.nodeName}${attrs}/>`];
  if (children.length === 1 && children[0].nodeType === Node.TEXT_NODE) {
    return [`${indent}<${node.nodeName}${attrs}>${children[0].textContent.trim()}</${node.nodeName}>`];
  }
  const inner = children.flatMap((c) =>
    c.nodeType === Node.TEXT_NODE ? [`${indent}  ${c.textContent.trim()}`] : xmlLines(c, `${indent}  `));
  return [`${indent}<${node.nodeName}${attrs}>`, ...inner, `${indent}</${node.nodeName}>`];
}

function cell(label, ...content) {
  return el("td", { "data-label": label }, ...content);
}

// --- Tenants ---------------------------------------------------------------------------

async function renderTenants() {
  const [listing, clocks] = await Promise.all([api("tenants"), api("clock")]);
  if (!changed("tenants", [listing, clocks])) return;
  const clockOf = new Map(clocks.tenants.map((c) => [c.tenant, c]));
  const rows = document.getElementById("tenant-rows");
  const typed = new Map(Array.from(rows.querySelectorAll("input[name=seconds]"), (i) => [i.dataset.tenant, i.value]));
  rows.replaceChildren(...listing.tenants.map((t) => tenantRow(t, clockOf.get(t.id), typed.get(t.id))));
  if (listing.tenants.length === 0) rows.append(el("tr", {}, el("td", { colspan: 5, text: "No tenants yet." })));
}

function tenantRow(tenant, clock, typed) {
  const resources = Object.entries(tenant.resources || {}).map(([k, v]) => `${k}: ${v}`).join(", ");
  const seconds = el("input", {
    name: "seconds", type: "number", min: "0", step: "any", value: typed || "3600",
    "data-tenant": tenant.id, "aria-label": `Seconds to advance the clock of ${tenant.id}`,
  });
  const advance = el("button", {
    type: "button", text: "Advance", "aria-label": `Advance the clock of ${tenant.id}`,
    onclick: () => act(api("clock/advance", { json: { tenant: tenant.id, seconds: Number(seconds.value) } })),
  });
  const reset = el("button", {
    type: "button", text: "Reset", "aria-label": `Reset tenant ${tenant.id}`,
    onclick: () => act(api(`reset?tenant=${encodeURIComponent(tenant.id)}`, { method: "POST" })),
  });
  const clockText = clock ? `${simTime(clock.now)} (${clock.mode}, ×${clock.speed})` : "—";
  return el("tr", { "data-tenant": tenant.id },
    cell("Tenant", el("strong", { text: tenant.vendor }), " ",
      el("code", { class: "credential", text: tenant.credential_shown })),
    cell("Clock", el("span", { class: "clock", text: clockText })),
    cell("Pending events", String(tenant.pending_events)),
    cell("Resources", resources || "none"),
    cell("Actions", el("span", { class: "actions" }, el("label", {}, seconds, " s"), advance, reset)));
}

// --- Journal ---------------------------------------------------------------------------

function journalQuery() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(document.getElementById("journal-filters"))) {
    if (value.trim()) params.set(name, value.trim());
  }
  params.set("limit", String(PAGE_SIZE));
  const before = state.before[state.before.length - 1];
  if (before !== undefined) params.set("before", String(before));
  return params;
}

async function renderJournal() {
  const page = await api(`journal?${journalQuery()}`);
  if (!changed("journal", [page, state.openEntry])) return;
  const entries = page.entries.slice().reverse();  // the API answers oldest first
  state.entries = new Map(entries.map((e) => [e.id, e]));
  document.getElementById("journal-rows").replaceChildren(...entries.map(entryRow));
  if (entries.length === 0) {
    document.getElementById("journal-rows").append(el("tr", {}, el("td", { colspan: 7, text: "No matching entries." })));
  }
  const first = state.before.length * PAGE_SIZE;
  const total = first + page.matched;  // `matched` counts this page and what is older than it
  document.getElementById("journal-page").textContent =
    entries.length ? `${first + 1}–${first + entries.length} of ${total}` : `0 of ${total}`;
  document.getElementById("newer").disabled = state.before.length === 0;
  document.getElementById("older").disabled = entries.length >= page.matched;
  if (state.openEntry !== null && state.entries.has(state.openEntry)) showEntry(state.entries.get(state.openEntry));
}

function entryRow(entry) {
  const target = entry.query ? `${entry.path}?${entry.query}` : entry.path;
  return el("tr", {
    class: "entry", tabindex: "0", "data-entry": String(entry.id),
    "aria-selected": String(entry.id === state.openEntry),
    onclick: () => openEntry(entry.id),
    onkeydown: (event) => { if (event.key === "Enter") openEntry(entry.id); },
  },
  cell("#", String(entry.id)),
  cell("Time", simTime(entry.at)),
  cell("Vendor", entry.vendor || "—"),
  cell("Tenant", entry.tenant || "—"),
  cell("Request", el("code", { text: `${entry.method} ${target}` })),
  cell("Status", el("span", { class: entry.status >= 400 ? "bad" : "", text: String(entry.status) })),
  cell("Took", `${entry.duration_ms} ms`));
}

function openEntry(id) {
  state.openEntry = id;
  for (const row of document.querySelectorAll("#journal-rows tr.entry")) {
    row.setAttribute("aria-selected", String(Number(row.dataset.entry) === id));
  }
  showEntry(state.entries.get(id));
}

function headerBlock(headers) {
  return el("pre", { text: Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\n") });
}

function showEntry(entry) {
  const target = entry.query ? `${entry.path}?${entry.query}` : entry.path;
  document.getElementById("entry").replaceChildren(
    el("h3", { text: `Entry ${entry.id}: ${entry.method} ${target} → ${entry.status}, took ${entry.duration_ms} ms` }),
    el("div", { class: "exchange" },
      el("div", { class: "request" }, el("h3", { text: "Request" }), headerBlock(entry.request_headers),
        el("pre", { class: "body", text: pretty(entry.request_body) || "(no body)" })),
      el("div", { class: "response" }, el("h3", { text: "Response" }), headerBlock(entry.response_headers),
        el("pre", { class: "body", text: pretty(entry.response_body) || "(no body)" }))),
    el("p", { class: "muted", text: "Bodies are shown up to the journal's cap of 64 KiB." }));
}

// --- Webhook deliveries ----------------------------------------------------------------

async function renderDeliveries() {
  const { deliveries } = await api("webhooks/deliveries");
  if (!changed("deliveries", deliveries)) return;
  const list = document.getElementById("delivery-list");
  list.replaceChildren(...deliveries.slice().reverse().map(deliveryCard));
  if (deliveries.length === 0) list.append(el("p", { text: "No webhook deliveries yet." }));
}

function deliveryCard(delivery) {
  const replay = el("button", {
    type: "button", text: "Replay", "aria-label": `Replay delivery ${delivery.id}`,
    onclick: () => act(api(`webhooks/deliveries/${encodeURIComponent(delivery.id)}/replay`, { method: "POST" })),
  });
  const attempts = delivery.attempts.map((a) => el("tr", { class: "attempt" },
    cell("Attempt", `${a.number}${a.replay ? " (replay)" : ""}`),
    cell("Sim time", simTime(a.at)),
    cell("Status", el("span", { class: a.status !== null && a.status < 400 ? "good" : "bad", text: String(a.status ?? "no answer") })),
    cell("Latency", `${a.latency_ms} ms`),
    cell("Error", a.error || "—")));
  return el("article", { class: "delivery", "data-delivery": delivery.id },
    el("header", {},
      el("strong", { text: delivery.event }),
      el("span", { class: `state ${delivery.state === "delivered" ? "good" : delivery.state === "failed" ? "bad" : ""}`, text: delivery.state }),
      el("span", { class: "muted", text: `${delivery.vendor} · ${delivery.tenant}` }), replay),
    el("p", {}, "To ", el("code", { text: delivery.url }), ` · next retry due: ${simTime(delivery.next_attempt_at)}`),
    el("div", { class: "scroll" }, el("table", {},
      el("thead", {}, el("tr", {}, ...["Attempt", "Sim time", "Status", "Latency", "Error"].map((h) => el("th", { text: h })))),
      el("tbody", {}, ...attempts))));
}

// --- Faults and rate limits -------------------------------------------------------------

async function renderFaults() {
  const [{ faults }, { vendors }, { tenants }] = await Promise.all([api("faults"), api("ratelimits"), api("tenants")]);
  const perTenant = await Promise.all(tenants.map((t) => api(`ratelimits?tenant=${encodeURIComponent(t.id)}`)));
  if (!changed("faults", [faults, vendors, perTenant])) return;
  const rows = document.getElementById("fault-rows");
  rows.replaceChildren(...faults.map(faultRow));
  if (faults.length === 0) rows.append(el("tr", {}, el("td", { colspan: 6, text: "No fault rules armed." })));
  document.getElementById("ratelimits").replaceChildren(
    ...Object.entries(vendors).map(([vendor, limits]) => limitsBlock(vendor, limits,
      perTenant.filter((t) => t.tenant.startsWith(`${vendor}:`)))));
}

function faultRow(rule) {
  const scope = [rule.direction, rule.vendor, rule.tenant, rule.method, rule.path && `path ~ ${rule.path}`]
    .filter(Boolean).join(" · ");
  const effect = [
    rule.latency && `wait ${rule.latency.seconds ?? `${rule.latency.min}–${rule.latency.max}`} s`,
    rule.status && `answer ${rule.status}`, rule.drop && "drop the connection",
  ].filter(Boolean).join(", ");
  const remove = el("button", {
    type: "button", text: "Remove", "aria-label": `Remove fault rule ${rule.id}`,
    onclick: () => act(api(`faults/${encodeURIComponent(rule.id)}`, { method: "DELETE" })),
  });
  return el("tr", { "data-fault": rule.id },
    cell("Rule", rule.id), cell("Applies to", scope), cell("Does", effect),
    cell("Odds", `${rule.odds}${rule.count ? `, at most ${rule.count}×` : ""}`),
    cell("Hits", el("span", { class: "hits", text: `${rule.hits}${rule.spent ? " (spent)" : ""}` })),
    cell("Actions", remove));
}

// A tenant is being limited now when one of its buckets has no request left.
function limitsBlock(vendor, limits, tenants) {
  const policy = (p) => `${p.name}: ${p.limit} per ${p.window} s, burst ${p.burst}`;
  const tenantRows = tenants.map((t) => {
    const limited = Object.values(t.remaining).some((left) => left < 1);
    return el("li", { "data-limits": t.tenant },
      el("code", { text: t.tenant }), ` — ${Object.entries(t.remaining).map(([n, left]) => `${n}: ${left} left`).join(", ") || "no policy"} `,
      el("span", { class: limited ? "bad limited" : "good", text: limited ? "limited now" : "not limited" }));
  });
  return el("div", { class: "delivery", "data-vendor": vendor },
    el("strong", { text: vendor }), ` ${limits.enabled ? "enforced" : "off"}: `,
    limits.policies.map(policy).join("; ") || "no policies",
    tenantRows.length ? el("ul", {}, ...tenantRows) : "");
}

function faultBody(form) {
  const body = {};
  for (const [name, value] of new FormData(form)) {
    const text = String(value).trim();
    if (!text) continue;
    if (name === "drop") body.drop = true;
    else if (name === "latency") body.latency = { seconds: Number(text) };
    else if (["status", "odds", "count"].includes(name)) body[name] = Number(text);
    else body[name] = text;
  }
  return body;
}

// --- Snapshots -------------------------------------------------------------------------

function savedText(saved) {
  if (saved === null) return "nothing written yet";
  if (saved.problem) return saved.problem;
  return `saved ${simTime(saved.taken_at)}, ${saved.tenants} tenants, ${saved.size} bytes`;
}

async function renderSnapshots() {
  const listing = await api("snapshots");
  if (!changed("snapshots", listing)) return;
  const stateFile = document.getElementById("state-file");
  stateFile.replaceChildren(listing.state_file
    ? el("span", {}, "State file: ", el("code", { text: listing.state_file }), ` (${savedText(listing.state_file_saved)}) `,
      el("button", { type: "button", text: "Restore from the state file",
        onclick: () => act(api("restore", { json: { state_file: true } })) }))
    : "No state file: snapshots are kept in memory only (start the server with --state-file to keep one).");
  const rows = document.getElementById("snapshot-rows");
  rows.replaceChildren(...listing.snapshots.map((snap) => el("tr", { "data-snapshot": snap.name },
    cell("Name", snap.name), cell("Taken at", simTime(snap.taken_at)),
    cell("Tenants", String(snap.tenants)), cell("Size", `${snap.size} bytes`),
    cell("Actions", el("button", { type: "button", text: "Restore", "aria-label": `Restore snapshot ${snap.name}`,
      onclick: () => act(api("restore", { json: { name: snap.name } })) })))));
  if (listing.snapshots.length === 0) rows.append(el("tr", {}, el("td", { colspan: 5, text: "No snapshots taken." })));
}

// --- Shell -----------------------------------------------------------------------------

const RENDER = {
  tenants: renderTenants, journal: renderJournal, deliveries: renderDeliveries,
  faults: renderFaults, snapshots: renderSnapshots,
};

async function refresh() {
  try {
    await RENDER[state.view]();
    report(null);
  } catch (error) {
    report(error);
  }
}

async function act(request) {
  try {
    await request;
    await refresh();
  } catch (error) {
    report(error);
  }
}

function show(view) {
  state.view = RENDER[view] ? view : "tenants";
  for (const section of document.querySelectorAll("main > section")) section.hidden = section.id !== state.view;
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.view === state.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  refresh();
}

function poll() {
  // The journal follows new requests on its newest page; an older page stays as it is.
  const paging = state.view === "journal" && state.before.length > 0;
  if (document.getElementById("live").checked && !document.hidden && !paging) refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("journal-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    state.before = [];
    refresh();
  });
  document.getElementById("fault-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(api("faults", { json: faultBody(event.target) }));
  });
  document.getElementById("snapshot-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(api("snapshot", { json: { name: event.target.elements.name.value.trim() || "default" } }));
  });
  document.getElementById("older").addEventListener("click", () => {
    const ids = Array.from(state.entries.keys());
    state.before.push(Math.min(...ids));
    refresh();
  });
  document.getElementById("newer").addEventListener("click", () => {
    state.before.pop();
    refresh();
  });
  window.addEventListener("hashchange", () => show(location.hash.slice(1)));
  show(location.hash.slice(1));
  setInterval(poll, POLL_MS);
});
