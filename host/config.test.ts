import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig, parseConfig, parseHostPort } from './config.js';
import { ErrorCodes } from './errors.js';

describe('config', () => {
  it.each([
    [{ nope: 1 }, /config.nope is not a known option/],
    [{ plugins: { a: { failurePolicy: 'Maybe' } } }, /plugins.a.failurePolicy must be "Fail" or "Ignore"/],
    [{ plugins: { a: { timeoutMs: 0 } } }, /plugins.a.timeoutMs must be an integer in 1..300000/],
    [{ launch: [{ name: 'x' }] }, /launch\[0\] needs exactly one of "module" or "command"/],
    [{ launch: [{ name: 'x', command: [] }] }, /launch\[0\].command must be a non-empty array/],
    [{ launch: [{ name: 'x', module: 'a' }, { name: 'x', module: 'b' }] }, /duplicate name x/],
    [{ registration: { swapHealthWindowMs: -1 } }, /registration.swapHealthWindowMs must be an integer/],
    [{ registration: { callStreams: 'yes' } }, /registration.callStreams must be a boolean/],
    [{ limits: { maxConcurrent: 'many' } }, /limits.maxConcurrent must be an integer/],
    [{ admission: { inProcess: './one' } }, /admission.inProcess must be an array of plugin module paths/],
    [[], /the top level must be an object/],
  ])('rejects %j naming the key', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message);
    try { parseConfig(raw); } catch (err) { expect(err).toMatchObject({ code: ErrorCodes.CONFIG_INVALID }); }
  });

  it('merges over the documented defaults and resolves paths against the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-config-'));
    const file = join(dir, 'plugd.json');
    writeFileSync(file, JSON.stringify({ socketDir: 'sockets', launch: [{ name: 'a', module: './a' }], limits: { maxConcurrent: 8 }, admission: { inProcess: ['./policies/p'] } }));
    const cfg = loadConfig(file);
    expect(cfg.socketDir).toBe(join(dir, 'sockets'));
    expect(cfg.admission).toEqual({ order: [], inProcess: [join(dir, 'policies/p')] });
    expect(cfg.launch[0]).toMatchObject({ name: 'a', module: join(dir, 'a'), cwd: dir });
    expect(cfg.limits).toEqual({ ...defaultConfig().limits, maxConcurrent: 8 });
    expect(cfg.registration).toEqual(defaultConfig().registration);
    expect(parseConfig({ registration: { callStreams: false, maxPlugins: 5 } }).registration).toEqual({ ...defaultConfig().registration, callStreams: false, maxPlugins: 5 });
  });

  it('names a file that is not JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plugd-config-')), 'bad.json');
    writeFileSync(file, '{ nope');
    expect(() => loadConfig(file)).toThrow(new RegExp(`${file} is not valid JSON`));
  });

  it.each([
    ['127.0.0.1:9740', { host: '127.0.0.1', port: 9740 }],
    ['[::1]:80', { host: '::1', port: 80 }],
    [':0', { host: '127.0.0.1', port: 0 }],
  ])('parses %s', (value, parsed) => expect(parseHostPort(value, '--admin')).toEqual(parsed));

  it('rejects a malformed HOST:PORT', () => {
    expect(() => parseHostPort('localhost', '--admin')).toThrow(/--admin: expected HOST:PORT/);
  });
});
