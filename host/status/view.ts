/**
 * The status page's renderer: /status.json → HTML. One function, run in the host for the
 * first paint (so the page works without JavaScript) and shipped verbatim, by its source
 * text, to the browser, which re-renders on every poll. So statusView() must stay
 * self-contained: no imports used at run time, nothing from module scope.
 *
 * Every string that came from a plugin (its name, its error messages, a rejected socket's
 * path) is untrusted: it goes through esc(), in text and in attributes alike.
 */
import type { StatusEvent } from './events.js';
import type { InstanceView, PluginView, StatusSnapshot } from './types.js';

export interface StatusView {
  /** The inner HTML of the page's <main>. */
  render(s: StatusSnapshot): string;
  /** HH:MM:SS in the viewer's time zone. */
  clock(ms: number): string;
  esc(v: unknown): string;
}

export function statusView(): StatusView {
  const TITLES: Record<string, string> = { SchedulerPlugin: 'Scheduling', AdmissionPlugin: 'Admission', NetworkPlugin: 'Networking' };
  const KIND_LABEL: Record<string, string> = {
    registered: 'registered', activated: 'active', swapped: 'hot-swap', rejected: 'rejected',
    deregistered: 'deregistered', health: 'health', policy: 'policy',
  };

  /** Kinds whose message already says it all: no reason chip. */
  const QUIET_REASON: Record<string, boolean> = { registered: true, activated: true, swapped: true };

  function esc(v: unknown): string {
    return String(v).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
  }

  /** Rates and counts, readable at a glance: 0, 0.42, 3.5, 120, 12,400. */
  function num(n: number): string {
    if (Number.isInteger(n) && n < 10_000) return String(n);
    if (n < 1) return n.toFixed(2);
    if (n < 10) return n.toFixed(1);
    return Math.round(n).toLocaleString('en-US');
  }

  function latency(msv: number | null): string {
    if (msv === null) return '–';
    if (msv < 1) return `${Math.round(msv * 1000)} µs`;
    if (msv < 10) return `${msv.toFixed(1)} ms`;
    if (msv < 1000) return `${Math.round(msv)} ms`;
    return `${(msv / 1000).toFixed(1)} s`;
  }

  function duration(msv: number): string {
    const s = Math.max(0, Math.round(msv / 1000));
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
    if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
  }

  function clock(ms: number): string {
    const d = new Date(ms);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  }

  function basename(p: string): string {
    return p.slice(p.lastIndexOf('/') + 1);
  }

  /**
   * A series as path data: a line through runs of values, nulls break it; points with no
   * neighbour go to `dots` (drawn thicker, or a single bucket of traffic would not show).
   */
  function pathOf(values: Array<number | null>, max: number, w: number, h: number): { line: string; dots: string } {
    const step = values.length > 1 ? w / (values.length - 1) : 0;
    let line = '';
    let dots = '';
    values.forEach((v, i) => {
      if (v === null) return;
      const x = (i * step).toFixed(1);
      const y = (h - 1 - (Math.min(v, max) / max) * (h - 3)).toFixed(1);
      const prev = i > 0 ? values[i - 1] : null;
      const next = i < values.length - 1 ? values[i + 1] : null;
      if (prev === null && (next === null || next === undefined)) dots += `M${x} ${y}h0.01`;
      else line += prev === null || prev === undefined ? `M${x} ${y}` : `L${x} ${y}`;
    });
    return { line, dots };
  }

  const W = 160;
  const H = 30;

  function svg(label: string, body: string): string {
    return `<svg class="spark" viewBox="-2 -2 ${W + 4} ${H + 4}" preserveAspectRatio="none" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>${body}</svg>`;
  }

  function rateChart(rate: number[], errors: number[], label: string): string {
    const max = Math.max(...rate, 0.001);
    const r = pathOf(rate, max, W, H);
    const e = errors.some((v) => v > 0) ? pathOf(errors, max, W, H) : undefined;
    const area = r.line ? `<path class="area" d="${r.line.replace(/^M([\d.]+) /, 'M$1 ' + H + 'L$1 ')}L${W} ${H}Z"/>` : '';
    return svg(label, `<path class="base" d="M0 ${H}H${W}"/>${area}<path class="rate" d="${r.line}"/><path class="rate dots" d="${r.dots}"/>` +
      (e ? `<path class="err" d="${e.line}"/><path class="err dots" d="${e.dots}"/>` : ''));
  }

  function latencyChart(p50: Array<number | null>, p99: Array<number | null>, label: string): string {
    const max = Math.max(...p99.map((v) => v ?? 0), ...p50.map((v) => v ?? 0), 0.001) * 1.1;
    const a = pathOf(p99, max, W, H);
    const b = pathOf(p50, max, W, H);
    return svg(label, `<path class="base" d="M0 ${H}H${W}"/><path class="p99" d="${a.line}"/><path class="p99 dots" d="${a.dots}"/>` +
      `<path class="p50" d="${b.line}"/><path class="p50 dots" d="${b.dots}"/>`);
  }

  function health(i: InstanceView): string {
    if (i.circuit === 'open') return '<span class="dot bad">circuit open</span>';
    if (!i.healthy) return '<span class="dot bad">not serving</span>';
    if (i.circuit === 'half-open') return '<span class="dot warn">probing</span>';
    return '<span class="dot ok">serving</span>';
  }

  /**
   * How many of the newest buckets to chart: none from before the host started (a host up for
   * a minute would draw its whole life in the last pixels), but at least a minute's worth.
   */
  function shown(s: StatusSnapshot): number {
    const lived = Math.ceil((s.now - s.host.startedAt) / s.series.bucketMs) + 1;
    return Math.min(s.series.buckets, Math.max(lived, Math.ceil(60_000 / s.series.bucketMs)));
  }

  function pluginRows(p: PluginView, s: StatusSnapshot): string {
    const n = shown(s);
    const minutes = Math.max(1, Math.round((s.series.bucketMs * n) / 60_000));
    const c = p.calls;
    const rows = p.instances.length > 0 ? p.instances : [undefined];
    const span = rows.length > 1 ? ` rowspan="${rows.length}"` : '';
    const hooks = p.hooks.length ? `<div class="sub">${esc(p.hooks.join(' · '))}</div>` : '';
    const nameCell = `<th scope="row"${span}><span class="name">${esc(p.name)}</span>${hooks}</th>`;
    let callCells: string;
    if (!c) {
      callCells = `<td class="calls"${span}><span class="muted">no calls yet</span></td><td class="lat"${span}><span class="muted">–</span></td><td class="errs"${span}><span class="muted">–</span></td>`;
    } else {
      const peak = Math.max(...c.rate.slice(-n));
      const rateLabel = `${p.name}: calls per second over the last ${minutes} minutes, peak ${num(peak)}/s, last minute ${num(c.recent.rate)}/s`;
      const latLabel = `${p.name}: latency over the last ${minutes} minutes, p50 (solid) and p99 (faint); last minute p50 ${latency(c.recent.p50)}, p99 ${latency(c.recent.p99)}`;
      const errPct = c.recent.rate > 0 ? (c.recent.errors / c.recent.rate) * 100 : 0;
      const errClass = errPct >= 5 ? 'bad' : errPct > 0 ? 'warn' : 'muted';
      callCells =
        `<td class="calls"${span}><div class="fig"><span class="big" data-rate="${c.recent.rate}">${num(c.recent.rate)}</span><span class="unit">/s</span></div>` +
        `${rateChart(c.rate.slice(-n), c.errors.slice(-n), rateLabel)}<div class="sub">${num(c.total)} calls in all</div></td>` +
        `<td class="lat"${span}><div class="fig"><span class="p50k">p50</span> ${latency(c.recent.p50)} <span class="p99k">p99</span> ${latency(c.recent.p99)}</div>` +
        `${latencyChart(c.p50.slice(-n), c.p99.slice(-n), latLabel)}</td>` +
        `<td class="errs"${span}><span class="${errClass}">${errPct === 0 ? '0 %' : `${errPct < 1 ? errPct.toFixed(2) : errPct.toFixed(1)} %`}</span>` +
        `<div class="sub">${num(c.failed)} failed in all</div></td>`;
    }
    return rows.map((i, k) => {
      const lead = k === 0 ? nameCell : '';
      const tail = k === 0 ? callCells : '';
      if (!i) {
        return `<tr data-plugin="${esc(p.name)}" data-state="gone">${lead}<td>–</td><td>–</td><td><span class="pill gone">gone</span></td><td><span class="muted">–</span></td>${tail}<td>–</td></tr>`;
      }
      const inflight = i.inflight > 0 ? `<div class="sub">${num(i.inflight)} in flight</div>` : '';
      // The slow path is the one worth a line: a plugin that serves no call stream pays an RPC per call.
      const unary = i.transport === 'unary' && i.state === 'active' ? '<div class="sub" title="the plugin serves no plugd.calls.v1 call stream: one gRPC call per hook call">unary calls</div>' : '';
      return `<tr data-plugin="${esc(p.name)}" data-generation="${i.generation}" data-state="${esc(i.state)}">${lead}` +
        `<td class="num">${i.generation}</td><td>${esc(i.version)}</td><td><span class="pill ${esc(i.state)}">${esc(i.state)}</span></td>` +
        `<td>${health(i)}${inflight}${unary}</td>${tail}<td class="sock" title="${esc(i.socket)}">${esc(basename(i.socket))}</td></tr>`;
    }).join('');
  }

  function interfaceSection(type: string, plugins: PluginView[], s: StatusSnapshot): string {
    const id = `if-${type}`;
    const title = TITLES[type] ?? type;
    const body = plugins.length === 0
      ? `<tr><td colspan="9" class="empty">No ${esc(title.toLowerCase())} plugins registered.</td></tr>`
      : plugins.map((p) => pluginRows(p, s)).join('');
    return `<section class="card" aria-labelledby="${esc(id)}"><h2 id="${esc(id)}">${esc(title)} <span class="type">${esc(type)}</span>` +
      `<span class="count">${plugins.length} plugin${plugins.length === 1 ? '' : 's'}</span></h2>` +
      '<div class="scroll"><table class="plugins"><colgroup><col class="c-name"><col class="c-gen"><col class="c-ver"><col class="c-state"><col class="c-health">' +
      `<col class="c-calls"><col class="c-lat"><col class="c-err"><col class="c-sock"></colgroup><thead><tr><th scope="col">Plugin</th><th scope="col" class="num">Gen</th><th scope="col">Version</th><th scope="col">State</th>` +
      `<th scope="col">Health</th><th scope="col">Calls/s <span class="hint">last min</span></th><th scope="col">Latency <span class="hint">last min</span></th>` +
      `<th scope="col">Errors <span class="hint">last min</span></th><th scope="col">Socket</th></tr></thead><tbody>${body}</tbody></table></div></section>`;
  }

  function eventRow(e: StatusEvent, now: number): string {
    const gen = e.generation !== undefined ? ` <span class="sub">gen ${e.generation}</span>` : '';
    const times = e.count > 1 ? ` <span class="times">×${num(e.count)}, last ${esc(clock(e.lastAt))}</span>` : '';
    return `<tr data-kind="${esc(e.kind)}" data-seq="${e.seq}"><td class="when"><time datetime="${new Date(e.at).toISOString()}">${esc(clock(e.at))}</time>` +
      `<div class="sub">${esc(duration(now - e.at))} ago</div></td>` +
      `<td><span class="tag ${esc(e.level)}">${esc(KIND_LABEL[e.kind] ?? e.kind)}</span></td>` +
      `<td><span class="name">${esc(e.plugin)}</span>${gen}</td><td class="msg">${QUIET_REASON[e.kind] || !e.reason ? '' : `<code class="reason">${esc(e.reason)}</code> `}${esc(e.message)}${times}</td></tr>`;
  }

  function eventsSection(s: StatusSnapshot): string {
    const rows = s.events.length === 0
      ? '<tr><td colspan="4" class="empty">Nothing has happened yet.</td></tr>'
      : s.events.map((e) => eventRow(e, s.now)).join('');
    return '<section class="card" aria-labelledby="events"><h2 id="events">Recent events <span class="type">newest first</span>' +
      `<span class="count">${s.events.length}</span></h2><div class="scroll"><table class="events"><thead><tr><th scope="col">Time</th><th scope="col">Event</th>` +
      `<th scope="col">Plugin</th><th scope="col">Details</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
  }

  function discoverySection(s: StatusSnapshot): string {
    if (s.unregistered.length === 0) return '';
    const rows = s.unregistered.map((u) => `<tr><td class="sock">${esc(u.path)}</td><td><span class="pill ${u.status === 'rejected' ? 'bad' : 'pending'}">${esc(u.status)}</span></td>` +
      `<td class="msg">${esc(u.reason ?? '')}</td></tr>`).join('');
    return '<section class="card" aria-labelledby="unregistered"><h2 id="unregistered">Not registered <span class="type">entries of the socket directory</span>' +
      `<span class="count">${s.unregistered.length}</span></h2><div class="scroll"><table><thead><tr><th scope="col">Path</th><th scope="col">Status</th>` +
      `<th scope="col">Why</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
  }

  function summary(s: StatusSnapshot): string {
    let instances = 0;
    let inRotation = 0;
    let names = 0;
    let rate = 0;
    let errors = 0;
    for (const i of s.interfaces) {
      for (const p of i.plugins) {
        if (p.instances.length > 0) names++;
        instances += p.instances.length;
        inRotation += p.instances.filter((x) => x.state === 'active' && x.healthy).length;
        rate += p.calls?.recent.rate ?? 0;
        errors += p.calls?.recent.errors ?? 0;
      }
    }
    const stat = (label: string, value: string, sub: string, cls = '') =>
      `<div class="stat ${cls}"><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
    return '<div class="stats">' +
      stat('Plugins in rotation', `${inRotation}<span class="of"> / ${names}</span>`, `${instances} instance${instances === 1 ? '' : 's'} registered`, inRotation < names ? 'warn' : '') +
      stat('Calls/s', num(rate), 'all plugins, last minute') +
      stat('Failed calls/s', num(errors), errors > 0 ? 'see the Errors columns' : 'none in the last minute', errors > 0 ? 'bad' : '') +
      stat('Host', s.host.ready ? `up ${esc(duration(s.now - s.host.startedAt))}` : 'scanning', `pid ${s.host.pid} · <code title="${esc(s.host.socketDir)}">${esc(s.host.socketDir)}</code>`) +
      '</div>';
  }

  function render(s: StatusSnapshot): string {
    const n = shown(s);
    const span = n * s.series.bucketMs >= 120_000 ? `${Math.round((n * s.series.bucketMs) / 60_000)} minutes` : `${Math.round((n * s.series.bucketMs) / 1000)} seconds`;
    const note = `<p class="note">Charts span the last ${span} in ${s.series.bucketMs / 1000} s buckets (up to ${Math.round((s.series.buckets * s.series.bucketMs) / 60_000)} minutes); ` +
      'calls/s, latency and errors beside them are over the last minute. Latency: <span class="p50k">p50</span> solid, <span class="p99k">p99</span> faint.</p>';
    return summary(s) + note + s.interfaces.map((i) => interfaceSection(i.type, i.plugins, s)).join('') + eventsSection(s) + discoverySection(s);
  }

  return { render, clock, esc };
}
