/**
 * The contracts: generated types match the protos, every rpc and field is documented, and the
 * registration contract keeps kubelet's wire shape (package, service, messages, field numbers).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { CALLS, CONTRACTS, LOADER_OPTIONS, PROTO_ROOT, REGISTRATION } from '../proto/index.js';
import { ROOT } from './helpers.js';

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else out.push(p);
  }
  return out;
}

describe('contracts', () => {
  it('proto/gen is up to date with the protos (run `npm run gen`)', () => {
    const out = mkdtempSync(join(tmpdir(), 'plugd-gen-'));
    execFileSync(process.execPath, [join(ROOT, 'scripts/gen-types.js'), '--check', out], { stdio: 'pipe' });
    const committed = join(PROTO_ROOT, 'gen');
    const want = files(out).map((f) => relative(out, f)).sort();
    expect(files(committed).map((f) => relative(committed, f)).sort()).toEqual(want);
    for (const f of want) expect(readFileSync(join(committed, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
  });

  it('keeps kubelet\'s pluginregistration wire shape', () => {
    const def = protoLoader.loadSync(REGISTRATION.file, { ...LOADER_OPTIONS, keepCase: true });
    const fields = (name: string) => Object.fromEntries(
      ((def[`pluginregistration.${name}`] as { type: { field: Array<{ name: string; number: number; type: string; label: string }> } }).type.field)
        .map((f) => [f.name, [f.number, f.type, f.label]]));
    expect(fields('PluginInfo')).toEqual({
      type: [1, 'TYPE_STRING', 'LABEL_OPTIONAL'], name: [2, 'TYPE_STRING', 'LABEL_OPTIONAL'],
      endpoint: [3, 'TYPE_STRING', 'LABEL_OPTIONAL'], supported_versions: [4, 'TYPE_STRING', 'LABEL_REPEATED'],
    });
    expect(fields('RegistrationStatus')).toEqual({ plugin_registered: [1, 'TYPE_BOOL', 'LABEL_OPTIONAL'], error: [2, 'TYPE_STRING', 'LABEL_OPTIONAL'] });
    expect(fields('InfoRequest')).toEqual({});
    expect(fields('RegistrationStatusResponse')).toEqual({});
    const svc = def['pluginregistration.Registration'] as Record<string, { path: string }>;
    expect(Object.values(svc).map((m) => m.path).sort()).toEqual(['/pluginregistration.Registration/GetInfo', '/pluginregistration.Registration/NotifyRegistrationStatus']);
  });

  it.each([
    ...Object.entries(CONTRACTS).flatMap(([type, versions]) => Object.values(versions).map((c) => [type, c.file] as const)),
    ['call streams', CALLS.file] as const,
  ])(
    '%s %s documents every rpc, message and field', (_type, file) => {
      const lines = readFileSync(join(PROTO_ROOT, file), 'utf8').split('\n');
      const undocumented: string[] = [];
      lines.forEach((line, i) => {
        const t = line.trim();
        if (!/^(rpc |message |enum |service |(?:(?:repeated |optional )?[\w.]+|map<[^>]+>) \w+ = \d+;|[A-Z][A-Z0-9_]* = \d+;)/.test(t)) return;
        // A declaration is documented by a comment on the line(s) just above, or a trailing one.
        const above = lines[i - 1]?.trim() ?? '';
        if (!above.startsWith('//') && !t.includes('//')) undocumented.push(`${file}:${i + 1}: ${t}`);
      });
      expect(undocumented).toEqual([]);
    });
});
