/**
 * Supervised plugins (config `launch`), on real processes: module and command entries start
 * and register; exits are restarted with doubling backoff per the restart policy; output is
 * relayed into the host's log under the plugin's name at the right level; stop() is SIGTERM,
 * then SIGKILL after stopGraceMs. Delays are asserted from the host's log records, never timed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, dist, isProcessAlive, onCleanup, ROOT, startHost, waitFor, type TestHost } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');
const GPU_BINPACK = join(ROOT, 'sample-plugins', 'gpu-binpack');

type LogRecord = Record<string, unknown>;

/** Host log records about launch entry `plugin` whose message contains `text`, in order. */
function records(t: TestHost, plugin: string, text: string): LogRecord[] {
  return t.logs.find(text, { plugin });
}

const started = (t: TestHost, plugin: string): LogRecord[] => records(t, plugin, 'plugin process started');
const restarting = (t: TestHost, plugin: string): LogRecord[] => records(t, plugin, 'restarting in');

/** The pid a launch entry runs as now, from the host's process table. */
function pidOf(t: TestHost, name: string): number {
  const p = t.host.processes().find((s) => s.name === name);
  if (p?.pid === undefined) throw new Error(`launch entry ${name} has no running process: ${JSON.stringify(t.host.processes())}`);
  return p.pid;
}

describe('supervisor: launching', { timeout: 60_000 }, () => {
  it('starts module and command entries; both register, answer calls and log under their name', async () => {
    const t = await startHost({
      config: {
        launch: [
          { name: 'binpack', module: GPU_BINPACK, env: { PLUGD_LOG_LEVEL: 'info' } },
          { name: 'life', command: [process.execPath, FIXTURE], env: { FIXTURE_NAME: 'launched-life' } },
        ],
      },
    });
    // The command gets no --socket-dir: PLUGD_SOCKET_DIR from the supervisor puts it in the host's.
    await t.host.waitForPlugin('gpu-binpack', 20_000);
    const life = await t.host.waitForPlugin('launched-life', 20_000);
    expect(life.socket).toBe(join(t.socketDir, 'launched-life.sock'));
    expect(t.host.processes()).toMatchObject([
      { name: 'binpack', state: 'running', restarts: 0 },
      { name: 'life', state: 'running', restarts: 0 },
    ]);

    // The registered plugin is the supervised process itself (the fixture answers with its pid).
    const lifePid = pidOf(t, 'life');
    await expect(t.host.invoke('launched-life', 'Admit', { uid: 'u1' })).resolves.toMatchObject({ allowed: true, warnings: [`pid-${lifePid}`] });
    await expect(t.host.invoke('gpu-binpack', 'SyncSnapshot', { generation: 1, indexEnd: 0, nodes: [] })).resolves.toEqual({ result: 'OK', generation: 1 });
    expect(started(t, 'life')).toMatchObject([{ pid: lifePid }]);
    expect(started(t, 'binpack')).toMatchObject([{ pid: pidOf(t, 'binpack') }]);

    // A plugin's pino JSON on stderr keeps its level (info, not the warn of plain stderr text)
    // and its fields, under the launch entry's name and pid.
    const serving = await t.logs.waitFor('plugin serving', { plugin: 'binpack' });
    expect(serving).toMatchObject({ level: 30, pid: pidOf(t, 'binpack'), type: 'SchedulerPlugin', socket: join(t.socketDir, 'gpu-binpack.sock') });
    // A JSON line on stdout without level or msg (the fixture's registration event) comes through as fields at info.
    const event = await waitFor(() => t.logs.records.find((r) => r.plugin === 'life' && r.registration !== undefined), 'the fixture registration event in the host log');
    expect(event).toMatchObject({ level: 30, pid: lifePid, registration: { registered: true, error: '' } });
  });

  it('relays stdout and stderr under the plugin name: text at info/warn, JSON lines at their own level', async () => {
    const script = [
      'echo plain-stdout',
      'echo plain-stderr >&2',
      `echo '{"level":50,"time":1,"pid":1,"hostname":"elsewhere","msg":"json-error","detail":42}'`,
      `echo '{"level":20,"msg":"json-debug"}' >&2`,
      `echo '{not json at all'`,
    ].join('; ');
    const t = await startHost({ config: { launch: [{ name: 'talker', command: ['sh', '-c', script], restart: 'never' }] } });
    const pid = (await t.logs.waitFor('plugin process started', { plugin: 'talker' })).pid;
    expect(pid).toEqual(expect.any(Number));

    const line = (text: string) => t.logs.waitFor(text, { plugin: 'talker' });
    expect(await line('plain-stdout')).toMatchObject({ level: 30, pid });
    expect(await line('plain-stderr')).toMatchObject({ level: 40, pid });
    const jsonError = await line('json-error');
    // The child's own pid/hostname/time are dropped for the host's; its other fields stay.
    expect(jsonError).toMatchObject({ level: 50, pid, detail: 42 });
    expect(jsonError.hostname).not.toBe('elsewhere');
    expect(jsonError.time).not.toBe(1);
    expect(await line('json-debug')).toMatchObject({ level: 20, pid });
    expect(await line('{not json at all')).toMatchObject({ level: 30, pid });
  });
});

describe('supervisor: restarts', { timeout: 60_000 }, () => {
  it('restarts a command that keeps crashing with doubling delays, capped at maxBackoffMs', async () => {
    const t = await startHost({
      config: { launch: [{ name: 'crasher', command: ['sh', '-c', 'exit 1'], initialBackoffMs: 100, maxBackoffMs: 800 }] },
    });
    await waitFor(() => started(t, 'crasher').length >= 6, 'five restarts of the crashing command', 20_000);
    const exits = restarting(t, 'crasher').slice(0, 5);
    expect(exits.map((r) => r.restartInMs)).toEqual([100, 200, 400, 800, 800]);
    expect(exits.map((r) => r.restarts)).toEqual([0, 1, 2, 3, 4]);
    expect(exits.every((r) => r.exit === 'code 1' && r.level === 40)).toBe(true);
    // Each announced delay was actually waited: the next start is logged no earlier
    // (a lower bound only; 2 ms for timer rounding).
    const starts = started(t, 'crasher');
    exits.forEach((exit, i) => {
      const next = starts[i + 1];
      expect(next, `start after restart ${i}`).toBeDefined();
      expect(Number(next!.time) - Number(exit.time)).toBeGreaterThanOrEqual(Number(exit.restartInMs) - 2);
    });
    // Every start is a new process.
    expect(new Set(starts.map((s) => s.pid)).size).toBe(starts.length);
  });

  it('restarts a plugin that crashes inside a call; the successor re-registers and backoff keeps doubling', async () => {
    const t = await startHost({
      config: {
        launch: [{
          name: 'crashy', command: [process.execPath, FIXTURE], env: { FIXTURE_NAME: 'crashy', FIXTURE_MODE: 'crash' },
          initialBackoffMs: 200, maxBackoffMs: 10_000,
        }],
        // The successor binds the crashed one's stale socket: retry registering it promptly.
        registration: { maxBackoffMs: 200 },
      },
    });
    const pids: number[] = [];
    let generation = 0;
    for (let round = 1; round <= 3; round++) {
      const active = await waitFor(() => t.host.plugins().find((p) => p.name === 'crashy' && p.generation > generation && p.state === 'active' && p.healthy),
        `a new generation of crashy in rotation (round ${round})`, 20_000);
      generation = active.generation;
      pids.push(pidOf(t, 'crashy'));
      await expect(t.host.invoke('crashy', 'Admit', { uid: `u${round}` })).rejects.toMatchObject({ plugin: 'crashy' });
      await waitFor(() => restarting(t, 'crashy').length >= round, `restart ${round} to be scheduled`, 20_000);
    }
    expect(restarting(t, 'crashy').map((r) => [r.exit, r.restartInMs])).toEqual([['code 3', 200], ['code 3', 400], ['code 3', 800]]);
    expect(new Set(pids).size).toBe(3);
    // The third restart comes back too.
    await waitFor(() => t.host.plugins().some((p) => p.name === 'crashy' && p.generation > generation && p.state === 'active'), 'the fourth instance', 20_000);
    expect(t.host.processes()).toMatchObject([{ name: 'crashy', state: 'running', restarts: 3 }]);
  });

  it('follows the restart policy: always (the default) and on-failure restart, never and a clean on-failure exit stay down', async () => {
    const backoff = { initialBackoffMs: 50, maxBackoffMs: 200 };
    const t = await startHost({
      config: {
        launch: [
          { name: 'default-clean', command: ['sh', '-c', 'exit 0'], ...backoff },
          { name: 'onfail-clean', command: ['sh', '-c', 'exit 0'], restart: 'on-failure', ...backoff },
          { name: 'onfail-crash', command: ['sh', '-c', 'exit 1'], restart: 'on-failure', ...backoff },
          { name: 'never-crash', command: ['sh', '-c', 'exit 1'], restart: 'never', ...backoff },
        ],
      },
    });
    const neverLine = await t.logs.waitFor('not restarting (restart policy)', { plugin: 'never-crash' });
    const cleanLine = await t.logs.waitFor('not restarting (restart policy)', { plugin: 'onfail-clean' });
    expect(neverLine).toMatchObject({ exit: 'code 1', level: 40 });
    expect(cleanLine).toMatchObject({ exit: 'code 0', level: 40 });

    // Had the stopped entries been rescheduled, their 50 ms timers (set before the lines
    // above) would fire before two more restarts of the others, whose timers are set later.
    const mark = Math.max(t.logs.records.indexOf(neverLine), t.logs.records.indexOf(cleanLine));
    const startsAfterMark = (name: string) => t.logs.records.slice(mark + 1).filter((r) => r.plugin === name && r.msg === 'plugin process started').length;
    await waitFor(() => startsAfterMark('default-clean') >= 2 && startsAfterMark('onfail-crash') >= 2, 'two more restarts of the restarting entries', 20_000);

    expect(started(t, 'never-crash')).toHaveLength(1);
    expect(started(t, 'onfail-clean')).toHaveLength(1);
    expect(restarting(t, 'never-crash')).toEqual([]);
    expect(restarting(t, 'onfail-clean')).toEqual([]);
    expect(restarting(t, 'default-clean')[0]).toMatchObject({ exit: 'code 0', restartInMs: 50 });
    expect(restarting(t, 'onfail-crash')[0]).toMatchObject({ exit: 'code 1', restartInMs: 50 });
    const byName = new Map(t.host.processes().map((p) => [p.name, p]));
    expect(byName.get('never-crash')).toMatchObject({ state: 'exited', restarts: 0, lastExit: 'code 1', pid: undefined });
    expect(byName.get('onfail-clean')).toMatchObject({ state: 'exited', restarts: 0, lastExit: 'code 0', pid: undefined });
    expect(byName.get('default-clean')!.restarts).toBeGreaterThanOrEqual(2);
    expect(byName.get('onfail-crash')!.restarts).toBeGreaterThanOrEqual(2);
  });
});

describe('supervisor: stopping', { timeout: 60_000 }, () => {
  it('stop() sends SIGTERM: plugins drain, exit 0 and unlink their sockets', async () => {
    const t = await startHost({
      config: {
        launch: [
          { name: 'binpack', module: GPU_BINPACK, env: { PLUGD_LOG_LEVEL: 'info' } },
          { name: 'life', command: [process.execPath, FIXTURE], env: { FIXTURE_NAME: 'stop-me', PLUGD_LOG_LEVEL: 'info' } },
        ],
      },
    });
    const sockets = [(await t.host.waitForPlugin('gpu-binpack', 20_000)).socket, (await t.host.waitForPlugin('stop-me', 20_000)).socket];
    const pids = [pidOf(t, 'binpack'), pidOf(t, 'life')];
    expect(sockets.every((s) => existsSync(s))).toBe(true);

    await t.host.stop();

    for (const name of ['binpack', 'life']) {
      expect(records(t, name, 'plugin process stopped')).toMatchObject([{ exit: 'code 0' }]);
      // The plugin itself saw SIGTERM (not its host pipe closing) and drained.
      expect(await t.logs.waitFor('draining', { plugin: name })).toMatchObject({ signal: 'SIGTERM' });
    }
    expect(t.logs.find('ignored SIGTERM')).toEqual([]);
    expect(t.host.processes().map((p) => p.state)).toEqual(['stopped', 'stopped']);
    expect(sockets.filter((s) => existsSync(s))).toEqual([]);
    expect(pids.filter(isProcessAlive)).toEqual([]);
  });

  it('SIGKILLs a process that ignores SIGTERM once stopGraceMs has passed', async () => {
    const stubborn = "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000); console.log('ready');";
    const t = await startHost({ config: { launch: [{ name: 'stubborn', command: [process.execPath, '-e', stubborn], stopGraceMs: 300 }] } });
    // Its handler is installed once it printed "ready"; a SIGTERM before that would just kill it.
    await t.logs.waitFor('ready', { plugin: 'stubborn' });
    const pid = pidOf(t, 'stubborn');
    // Should stop() fail to kill it, it must not outlive the test.
    onCleanup(() => isProcessAlive(pid) && process.kill(pid, 'SIGKILL'));

    await t.host.stop();

    const killing = t.logs.find('ignored SIGTERM; killing it', { plugin: 'stubborn' });
    const stopped = records(t, 'stubborn', 'plugin process stopped');
    expect(killing).toMatchObject([{ graceMs: 300, level: 40 }]);
    expect(stopped).toMatchObject([{ exit: 'signal SIGKILL' }]);
    expect(t.logs.records.indexOf(killing[0]!)).toBeLessThan(t.logs.records.indexOf(stopped[0]!));
    // It did receive the SIGTERM first.
    await t.logs.waitFor('ignoring SIGTERM', { plugin: 'stubborn' });
    expect(isProcessAlive(pid)).toBe(false);
  });
});
