/**
 * docs/reference/proto.md is generated from the protos' comments (scripts/proto-docs.js):
 * it must be current, and it must list everything proto-loader (the parser the host uses)
 * sees in the contracts, so a reader of the page misses no rpc, field or enum value.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { LOADER_OPTIONS, PROTO_ROOT } from '../proto/index.js';
import { ROOT } from './helpers.js';

const PAGE = join(ROOT, 'docs', 'reference', 'proto.md');

function protoFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'gen') continue;
    if (statSync(p).isDirectory()) protoFiles(p, out);
    else if (p.endsWith('.proto')) out.push(relative(PROTO_ROOT, p));
  }
  return out;
}

interface Descriptor {
  format: string;
  type: { field?: Array<{ name: string; number: number }>; value?: Array<{ name: string; number: number }> };
}

describe('proto reference (docs/reference/proto.md)', () => {
  const page = readFileSync(PAGE, 'utf8');

  it('is up to date with the protos (run `node scripts/proto-docs.js`)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'plugd-proto-docs-')), 'proto.md');
    execFileSync(process.execPath, [join(ROOT, 'scripts/proto-docs.js'), '--check', out], { stdio: 'pipe' });
    expect(page).toBe(readFileSync(out, 'utf8'));
  });

  it('lists every service method, message field and enum value proto-loader loads', () => {
    const def = protoLoader.loadSync(protoFiles(PROTO_ROOT), { ...LOADER_OPTIONS, keepCase: true, includeDirs: [PROTO_ROOT] });
    const missing: string[] = [];
    let rows = 0;
    for (const [name, entry] of Object.entries(def)) {
      if ('format' in entry && (entry as Descriptor).format.includes('DescriptorProto') && !(entry as Descriptor).format.includes('Enum')) {
        if (!page.includes(`#### message \`${name}\``)) missing.push(`message ${name}`);
        for (const f of (entry as Descriptor).type.field ?? []) {
          rows++;
          if (!page.includes(`| ${f.number} | \`${f.name}\` |`)) missing.push(`field ${name}.${f.name} = ${f.number}`);
        }
      } else if ('format' in entry) {
        if (!page.includes(`#### enum \`${name}\``)) missing.push(`enum ${name}`);
        for (const v of (entry as Descriptor).type.value ?? []) {
          rows++;
          if (!page.includes(`| \`${v.name}\` | ${v.number} |`)) missing.push(`enum value ${name}.${v.name} = ${v.number}`);
        }
      } else {
        if (!page.includes(`#### service \`${name}\``)) missing.push(`service ${name}`);
        for (const method of Object.values(entry as Record<string, { path: string }>)) {
          rows++;
          const rpc = method.path.split('/').pop()!;
          if (!page.includes(`| \`${rpc}\` |`)) missing.push(`rpc ${name}.${rpc}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(rows).toBeGreaterThan(100);
  });

  it('carries the protos\' own words, e.g. kubelet\'s PluginInfo.endpoint rule', () => {
    expect(page).toContain('| 3 | `endpoint` | `string` | Where the typed service is served. Empty: on this same socket.');
  });
});
