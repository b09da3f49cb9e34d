/**
 * The operator's view against a real host with real plugin processes: the admin server's
 * status page in headless Chromium (Debian's chromium driven by playwright-core), its
 * server-rendered first paint without JavaScript, and `plugd plugins` on a pipe and on a
 * terminal. Traffic, a hot-swap, a failing plugin under failurePolicy Ignore and a plugin
 * whose name is an HTML payload give the page something to show.
 * The Chromium part skips (saying why) when /usr/bin/chromium is missing, unless
 * PLUGD_REQUIRE_INTEROP=1 (CI), where that is a failure. Screenshots go to test-artifacts/.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../host/status/types.js';
import { cleanup, CLI, interopPeers, dist, ROOT, servePluginProcess, spawnNode, startHost, waitFor, type TestHost } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
/** A plugin that names itself with markup: the page must show it as text, never run it. */
const XSS_NAME = '<img src=x onerror="window.__xss=1">';

function missingChromium(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed; apt-get install chromium`;
  const run = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (run.error || !/Chromium \d+/.test(run.stdout)) return `${CHROMIUM} --version failed (${run.error?.message ?? run.stderr.trim()})`;
  return undefined;
}

const missing = missingChromium();
interopPeers('status-page: the Chromium test', 'Chromium for the status page test', missing);

const SDK_FIXTURE = dist('test/fixtures/sdk-plugins.ts');
const LIFECYCLE_FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');
const RAW_FIXTURE = dist('test/fixtures/raw-plugin.ts');

/** Runs a command to its end without blocking this process (the host under test lives here). */
function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', env }, (err, stdout, stderr) => resolve({ status: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
  });
}

const admit = (t: TestHost, name: string) => t.host.invoke(name, 'Admit', { uid: 'u', operation: 'CREATE' });

async function status(t: TestHost): Promise<StatusSnapshot> {
  return (await (await fetch(`${t.host.adminUrl}/status.json`)).json()) as StatusSnapshot;
}

let t: TestHost;

beforeAll(async () => {
  t = await startHost({ config: { plugins: { flaky: { failurePolicy: 'Ignore', timeoutMs: 2000 } } } });
  const dir = t.socketDir;
  spawnNode(SDK_FIXTURE, ['--socket-dir', dir, '--name', 'alpha', '--socket', join(dir, 'alpha-a.sock')]);
  const flaky = spawnNode(LIFECYCLE_FIXTURE, ['--socket-dir', dir], { FIXTURE_NAME: 'flaky', FIXTURE_MODE: 'fail' });
  servePluginProcess('sample-plugins/gpu-binpack', dir);
  servePluginProcess('sample-plugins/static-routes', dir);
  spawnNode(RAW_FIXTURE, ['bad-name', '--socket', join(dir, 'markup.sock'), '--name', XSS_NAME]);
  for (const name of ['alpha', 'flaky', 'gpu-binpack', 'static-routes']) await t.host.waitForPlugin(name, 20_000);

  for (let i = 0; i < 200; i++) await admit(t, 'alpha');
  // The swap: a second instance of alpha on its own socket takes over once SERVING.
  const swapped = new Promise<void>((resolve) => t.host.registry.once('replaced', () => resolve()));
  spawnNode(SDK_FIXTURE, ['--socket-dir', dir, '--name', 'alpha', '--socket', join(dir, 'alpha-b.sock')]);
  await swapped;
  for (let i = 0; i < 200; i++) await admit(t, 'alpha');
  // A plugin failing its calls: the policy (Ignore) resolves each, and the page must say so.
  for (let i = 0; i < 3; i++) expect((await t.host.callWithPolicy('flaky', 'Admit', { uid: 'f' })).status).toBe('ignored');
  // Its health flaps: NOT_SERVING (SIGUSR1), then SERVING again (SIGUSR2).
  flaky.kill('SIGUSR1');
  await waitFor(() => t.host.plugins().some((p) => p.name === 'flaky' && !p.healthy), 'flaky out of rotation');
  flaky.kill('SIGUSR2');
  await t.host.waitForPlugin('flaky', 10_000);
  await waitFor(async () => (await status(t)).events.some((e) => e.kind === 'rejected' && e.plugin === XSS_NAME), 'the markup-named plugin rejected');
}, 90_000);

afterAll(cleanup);

describe('/status.json', () => {
  it('groups plugins by interface with their instances, calls and latency, and lists the events newest first', async () => {
    const s = await status(t);
    expect(s.interfaces.map((i) => i.type)).toEqual(['SchedulerPlugin', 'AdmissionPlugin', 'NetworkPlugin']);
    const byType = Object.fromEntries(s.interfaces.map((i) => [i.type, i.plugins.map((p) => p.name)]));
    expect(byType).toEqual({ SchedulerPlugin: ['gpu-binpack'], AdmissionPlugin: ['alpha', 'flaky'], NetworkPlugin: ['static-routes'] });
    const alpha = s.interfaces[1]!.plugins[0]!;
    expect(alpha.instances[0]).toMatchObject({ generation: 2, state: 'active', healthy: true, socket: join(t.socketDir, 'alpha-b.sock') });
    // 400 calls, across the swap, on one chart.
    expect(alpha.calls!.total).toBe(400);
    expect(alpha.calls!.recent.rate).toBeGreaterThan(0);
    expect(alpha.calls!.recent.p50).toBeGreaterThan(0);
    expect(alpha.calls!.recent.p99).toBeGreaterThanOrEqual(alpha.calls!.recent.p50!);
    expect(alpha.calls!.rate).toHaveLength(s.series.buckets);
    const flaky = s.interfaces[1]!.plugins[1]!;
    expect(flaky.calls).toMatchObject({ total: 3, failed: 3 });

    const seqs = s.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(s.events.find((e) => e.kind === 'swapped')).toMatchObject({ plugin: 'alpha', generation: 2, message: expect.stringContaining('generation 1 (v1) → 2 (v1)') });
    // Three failures fold into one entry with a count.
    expect(s.events.filter((e) => e.kind === 'policy')).toEqual([
      expect.objectContaining({ plugin: 'flaky', count: 3, reason: 'Ignore PLUGIN_UNAVAILABLE', message: expect.stringContaining('failurePolicy Ignore') }),
    ]);
    expect(s.events.find((e) => e.kind === 'rejected')).toMatchObject({ plugin: XSS_NAME, reason: 'invalid-name' });
    expect(s.events.filter((e) => e.kind === 'health').map((e) => [e.plugin, e.level, e.reason])).toEqual([
      ['flaky', 'good', 'SERVING'], ['flaky', 'warn', 'NOT_SERVING'],
    ]);
  });

  it('serves the status page rendered on the host, readable without JavaScript, with a CSP that runs only its own script', async () => {
    const res = await fetch(`${t.host.adminUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toMatch(/<tr data-plugin="alpha" data-generation="2" data-state="active">/);
    expect(html).toContain('<h2 id="if-SchedulerPlugin">Scheduling');
    expect(html).toContain('hot-swap: generation 1 (v1) → 2 (v1)');
    // The plugin's markup arrives as text, in the event list and nowhere as a tag.
    expect(html).toContain('&#60;img src=x onerror=&#34;window.__xss=1&#34;&#62;');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // no external asset
  });
});

describe.skipIf(missing !== undefined)('the status page in headless Chromium', () => {
  it('shows live plugins, states, generations, calls/s and events, and updates without a reload', async () => {
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'plugd-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
    });
    try {
      const page = browser.pages()[0] ?? await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
      await page.goto(`${t.host.adminUrl}/`);
      await page.waitForSelector('#live[data-state="live"]', { timeout: 15_000 });

      expect(await page.locator('h1').textContent()).toContain('plugd');
      expect(await page.locator('h2').allTextContents()).toEqual(expect.arrayContaining([
        expect.stringContaining('Scheduling'), expect.stringContaining('Admission'), expect.stringContaining('Networking'), expect.stringContaining('Recent events'),
      ]));
      const alpha = page.locator('tr[data-plugin="alpha"][data-state="active"]');
      expect(await alpha.getAttribute('data-generation')).toBe('2');
      expect(Number(await alpha.locator('.big').getAttribute('data-rate'))).toBeGreaterThan(0);
      expect(await alpha.locator('svg.spark').count()).toBe(2);
      expect(await page.locator('tr[data-plugin="gpu-binpack"] .pill').textContent()).toBe('active');
      // Every call of the failing plugin failed, and its row says so.
      expect(await page.locator('tr[data-plugin="flaky"] td.errs .bad').textContent()).toBe('100.0 %');

      const swap = page.locator('tr[data-kind="swapped"]');
      expect(await swap.textContent()).toContain('generation 1 (v1) → 2 (v1)');
      const policy = page.locator('tr[data-kind="policy"]');
      expect(await policy.textContent()).toMatch(/flaky.*failurePolicy Ignore.*×3/s);
      // The markup name is shown as text and ran nothing.
      expect(await page.locator('tr[data-kind="rejected"] .name').first().textContent()).toBe(XSS_NAME);
      expect(await page.locator('main img').count()).toBe(0);
      expect(await page.evaluate('typeof window.__xss')).toBe('undefined');

      // A plugin arrives while the page is open: it appears without a reload.
      // A reload would drop this mark.
      await page.evaluate('window.__sameDocument = true');
      spawnNode(SDK_FIXTURE, ['--socket-dir', t.socketDir, '--name', 'late']);
      await t.host.waitForPlugin('late', 20_000);
      for (let i = 0; i < 20; i++) await admit(t, 'late');
      await page.waitForSelector('tr[data-plugin="late"][data-state="active"]', { timeout: 15_000 });
      // Every call it got, counted on a later poll.
      await page.locator('tr[data-plugin="late"] td.calls').filter({ hasText: '20 calls in all' }).waitFor({ timeout: 15_000 });
      expect(Number(await page.locator('tr[data-plugin="late"] .big').getAttribute('data-rate'))).toBeGreaterThan(0);
      expect(await page.locator('tr[data-kind="activated"]').first().textContent()).toContain('late');
      expect(await page.evaluate('window.__sameDocument')).toBe(true);
      expect(errors).toEqual([]);

      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = join(ARTIFACTS, 'status-page.png');
      await page.screenshot({ path: shot, fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: join(ARTIFACTS, 'status-page-dark.png'), fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('plugd plugins', () => {
  const COLUMNS = ['NAME', 'TYPE', 'VERSION', 'STATE', 'GEN', 'HEALTH', 'CALLS', 'P99', 'SOCKET'];
  const admin = () => t.host.adminUrl!.slice('http://'.length);

  it('piped: an aligned plain table, one line per instance, nothing for a terminal only', async () => {
    const out = await run(process.execPath, [CLI, 'plugins', '--admin', admin()]);
    expect(out.status, out.stderr).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual(COLUMNS);
    expect(out.stdout).not.toContain('\x1b[');
    const alpha = lines.find((l) => l.startsWith('alpha '))!.split(/\s+/);
    expect(alpha).toEqual(['alpha', 'AdmissionPlugin', 'v1', 'active', '2', 'serving', expect.stringMatching(/^4\d\d$/), expect.stringMatching(/^[\d.]+(µs|ms|s)$/), join(t.socketDir, 'alpha-b.sock')]);
    // Columns line up: every row's SOCKET starts where the header's does.
    const at = lines[0]!.indexOf('SOCKET');
    for (const l of lines.slice(1)) expect(l.slice(at)).toMatch(/^\//);
  });

  it('on a terminal: the same columns, coloured states, sockets relative to the socket directory', async () => {
    if (spawnSync('script', ['--version']).error) return void console.warn('plugd plugins: no `script` command to give it a terminal; only the piped form is tested');
    const cmd = [process.execPath, CLI, 'plugins', '--admin', admin()].map((a) => `'${a}'`).join(' ');
    // script(1) runs the command on a pseudo-terminal, as a user's shell would.
    const tty = await run('script', ['-qec', cmd, '/dev/null'], { ...process.env, TERM: 'xterm', NO_COLOR: '' });
    expect(tty.status, tty.stderr).toBe(0);
    const out = tty.stdout.replace(/\r/g, '');
    expect(out).toContain('\x1b[32mactive');
    const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toContain(`socket dir ${t.socketDir}`);
    expect(plain.split('\n').find((l) => l.startsWith('alpha '))).toMatch(/\salpha-b\.sock\s*$/);
  });

  it('--json keeps the full instance objects', async () => {
    const out = await run(process.execPath, [CLI, 'plugins', '--admin', admin(), '--json']);
    const rows = JSON.parse(out.stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.name === 'alpha' && r.state === 'active')).toMatchObject({ type: 'AdmissionPlugin', generation: 2, circuit: 'closed' });
  });
});
