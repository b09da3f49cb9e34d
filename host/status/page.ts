/**
 * The status page: one self-contained HTML document (inline CSS and script, no external
 * asset: the admin port often lives on a closed network). The host renders the current
 * state into it, so it reads without JavaScript; with JavaScript it polls ./status.json and
 * re-renders with the very same renderer, shipped by its source text.
 */
import { randomBytes } from 'node:crypto';
import { statusView } from './view.js';
import type { StatusSnapshot } from './types.js';

/** How often the page polls /status.json. */
export const POLL_MS = 2000;

const VIEW = statusView();

/** A fresh nonce per response: only the page's own inline script may run (see headers()). */
export function pageNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Response headers: a CSP that runs the nonce'd script only, so even a missed escape runs nothing. */
export function pageHeaders(nonce: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src data:; ` +
      "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  };
}

export function statusPage(s: StatusSnapshot, nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>plugd status</title>
<noscript><meta http-equiv="refresh" content="10"></noscript>
<style>${CSS}</style>
</head>
<body>
<header class="top">
  <h1><span class="logo" aria-hidden="true">◆</span> plugd <span class="subtitle">plugin host status</span></h1>
  <p id="live" role="status" data-state="static">Rendered at ${VIEW.clock(s.now)}<noscript> · refreshes every 10 s</noscript></p>
</header>
<main id="app">${VIEW.render(s)}</main>
<footer>Raw data: <a href="status.json">status.json</a> · <a href="plugins">plugins</a> · <a href="discovery">discovery</a> · <a href="metrics">metrics</a> (Prometheus)</footer>
<script nonce="${nonce}">
"use strict";
const view = (${statusView.toString()})();
const app = document.getElementById("app");
const live = document.getElementById("live");
let failures = 0;
async function poll() {
  try {
    const res = await fetch("status.json", { cache: "no-store" });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const s = await res.json();
    app.innerHTML = view.render(s);
    live.dataset.state = "live";
    live.textContent = "Live · updated " + view.clock(s.now);
    failures = 0;
  } catch (err) {
    failures++;
    live.dataset.state = "stale";
    live.textContent = "Host unreachable (" + (err && err.message || err) + ") · retrying";
  }
  setTimeout(poll, Math.min(${POLL_MS} * (1 + failures), 30000) * (document.hidden ? 5 : 1));
}
poll();
</script>
</body>
</html>
`;
}

const CSS = `
:root {
  --bg: #f4f6f9; --panel: #ffffff; --text: #1b2230; --muted: #5d6878; --line: #e2e6ec; --head: #f8f9fb;
  --accent: #2f6fde; --accent-soft: rgba(47,111,222,.14); --p99: #c2410c;
  --ok: #1a7f37; --ok-soft: #dcf3e2; --warn: #9a6700; --warn-soft: #fbf0d2; --bad: #cf222e; --bad-soft: #fde2e1;
  --info-soft: #e8edf5; --shadow: 0 1px 2px rgba(16,24,40,.06), 0 1px 3px rgba(16,24,40,.08);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1217; --panel: #161b22; --text: #e6edf3; --muted: #8d98a8; --line: #262e39; --head: #1b212a;
    --accent: #6ea8fe; --accent-soft: rgba(110,168,254,.18); --p99: #fb923c;
    --ok: #3fb950; --ok-soft: rgba(63,185,80,.16); --warn: #d29922; --warn-soft: rgba(210,153,34,.16); --bad: #f85149; --bad-soft: rgba(248,81,73,.16);
    --info-soft: rgba(139,152,167,.16); --shadow: none;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
code, .sock, .reason { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
a { color: var(--accent); }
.top { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; flex-wrap: wrap; padding: 18px 28px 6px; max-width: 1500px; margin: 0 auto; }
h1 { margin: 0; font-size: 22px; font-weight: 650; letter-spacing: -.01em; }
.logo { color: var(--accent); }
.subtitle { color: var(--muted); font-weight: 400; font-size: 15px; margin-left: 6px; }
#live { margin: 0; color: var(--muted); font-size: 13px; display: flex; align-items: center; gap: 8px; }
#live::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
#live[data-state="live"]::before { background: var(--ok); box-shadow: 0 0 0 3px var(--ok-soft); }
#live[data-state="stale"] { color: var(--bad); }
#live[data-state="stale"]::before { background: var(--bad); }
main { max-width: 1500px; margin: 0 auto; padding: 8px 28px 12px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px; margin: 8px 0 16px; }
.stat { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; box-shadow: var(--shadow); min-width: 0; }
.stat .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.stat .value { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.3; }
.stat .of { color: var(--muted); font-size: 18px; font-weight: 500; }
.stat .sub { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.stat.warn .value { color: var(--warn); }
.stat.bad .value { color: var(--bad); }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; margin: 0 0 16px; box-shadow: var(--shadow); overflow: hidden; }
h2 { margin: 0; padding: 12px 16px; font-size: 16px; font-weight: 620; border-bottom: 1px solid var(--line); display: flex; align-items: baseline; gap: 10px; }
h2 .type { color: var(--muted); font-weight: 400; font-size: 13px; font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
h2 .count { margin-left: auto; color: var(--muted); font-weight: 500; font-size: 12px; background: var(--info-soft); border-radius: 999px; padding: 1px 9px; }
.scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
tbody tr:last-child > * { border-bottom: 0; }
thead th { background: var(--head); color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; white-space: nowrap; }
.hint { text-transform: none; letter-spacing: 0; font-weight: 400; opacity: .8; }
tbody th { font-weight: 600; }
tbody th[rowspan], td[rowspan] { border-right: 1px solid var(--line); }
td[rowspan] + td, td[rowspan] ~ td[rowspan] { border-left: 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.name { font-weight: 600; overflow-wrap: anywhere; }
.sub { color: var(--muted); font-size: 12px; font-weight: 400; }
.muted { color: var(--muted); }
.warn { color: var(--warn); }
.bad { color: var(--bad); }
.sock { color: var(--muted); white-space: nowrap; max-width: 260px; overflow: hidden; text-overflow: ellipsis; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; background: var(--info-soft); color: var(--muted); }
.pill.active { background: var(--ok-soft); color: var(--ok); }
.pill.pending { background: var(--warn-soft); color: var(--warn); }
.pill.draining { background: var(--accent-soft); color: var(--accent); }
.pill.bad { background: var(--bad-soft); color: var(--bad); }
.dot { white-space: nowrap; }
.dot::before { content: "●"; margin-right: 5px; font-size: 11px; }
.dot.ok::before { color: var(--ok); }
.dot.warn::before { color: var(--warn); }
.dot.bad { color: var(--bad); }
.fig { font-variant-numeric: tabular-nums; white-space: nowrap; }
.big { font-size: 18px; font-weight: 650; }
.unit { color: var(--muted); margin-left: 2px; }
.p50k, .p99k { font-size: 11px; font-weight: 600; text-transform: uppercase; margin-left: 2px; }
.p50k { color: var(--accent); }
.p99k { color: var(--p99); margin-left: 8px; }
.spark { display: block; width: 100%; max-width: 220px; height: 32px; margin: 4px 0 2px; overflow: visible; }
.spark path { fill: none; stroke-width: 1.6; stroke-linejoin: round; stroke-linecap: round; vector-effect: non-scaling-stroke; }
.spark path.dots { stroke-width: 4.5; }
.spark .base { stroke: var(--line); stroke-width: 1; }
.spark .area { fill: var(--accent-soft); stroke: none; }
.spark .rate, .spark .p50 { stroke: var(--accent); }
.spark .p99 { stroke: var(--p99); opacity: .8; }
.spark .err { stroke: var(--bad); }
table.plugins { table-layout: fixed; min-width: 1080px; }
.c-name { width: 17%; } .c-gen { width: 5%; } .c-ver { width: 7%; } .c-state { width: 9%; } .c-health { width: 10%; }
.c-calls { width: 14%; } .c-lat { width: 15%; } .c-err { width: 9%; } .c-sock { width: 14%; }
.empty { color: var(--muted); text-align: center; padding: 18px; }
.events td { font-size: 13px; }
.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
.tag { display: inline-block; min-width: 84px; text-align: center; border-radius: 6px; padding: 1px 8px; font-size: 12px; font-weight: 600; background: var(--info-soft); color: var(--muted); }
.tag.good { background: var(--ok-soft); color: var(--ok); }
.tag.warn { background: var(--warn-soft); color: var(--warn); }
.tag.bad { background: var(--bad-soft); color: var(--bad); }
.msg { overflow-wrap: anywhere; min-width: 320px; }
.reason { color: var(--muted); background: var(--info-soft); border-radius: 4px; padding: 0 5px; margin-right: 4px; }
.times { color: var(--warn); font-weight: 600; white-space: nowrap; }
.note { color: var(--muted); font-size: 12px; margin: -4px 2px 12px; }
footer { max-width: 1500px; margin: 0 auto; padding: 4px 28px 28px; color: var(--muted); font-size: 12px; }
`;
