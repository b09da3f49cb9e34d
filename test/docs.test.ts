/**
 * The guides in docs/ against the code they describe: the plugin author guide's TypeScript
 * plugin and its test run as written (through `plugd serve`'s TypeScript loader, tsx), and
 * every host log line the operator guide tells operators to look for is one the host logs.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** The fenced ```ts blocks of a markdown file, in order. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

// Under the repository, so that the blocks' imports (vitest, the SDK) resolve as they do here.
const work = join(ROOT, `.docs-check-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('docs/plugin-authors.md', () => {
  it('its TypeScript plugin and harness test run as written', async () => {
    const [plugin, test] = tsBlocks(read('docs/plugin-authors.md'));
    expect(plugin).toContain("name: 'require-owner'");
    const sdk = pathToFileURL(join(ROOT, 'sdk', 'index.ts')).href;
    mkdirSync(join(work, 'my-policy'), { recursive: true });
    writeFileSync(join(work, 'my-policy', 'index.ts'), plugin!.replaceAll("'plugd/sdk'", `'${sdk}'`));
    // The test block uses top-level await and vitest's expect, as in a test file's body.
    writeFileSync(join(work, 'my-policy', 'check.ts'),
      `import { expect } from 'vitest';\n${test!.replaceAll("'plugd/sdk'", `'${sdk}'`).replace("from './index.js'", "from './index.ts'")}\nexport const done = true;\n`);
    const { tsImport } = await import('tsx/esm/api');
    const mod = (await tsImport(pathToFileURL(join(work, 'my-policy', 'check.ts')).href, import.meta.url)) as { done?: boolean };
    expect(mod.done).toBe(true);
  }, 30_000);
});

describe('docs/operator-guide.md', () => {
  function sources(dir: string, out: string[] = []): string[] {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) sources(p, out);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(readFileSync(p, 'utf8'));
    }
    return out;
  }
  const code = [...sources(join(ROOT, 'host')), ...sources(join(ROOT, 'sdk')), read('proto/index.ts')].join('\n');

  it('quotes log lines the host and SDK actually log', () => {
    const guide = read('docs/operator-guide.md');
    const section = guide.slice(guide.indexOf('## 5. Troubleshoot'), guide.indexOf('## 6. Metrics'));
    // Every backticked message in the tables' first column, and in the SDK paragraph.
    const quoted = [...section.matchAll(/^\| (.+?) \| .+ \| .+ \|$/gm)].flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((q) => q[1]!))
      .filter((q) => q.includes(' ') && !q.startsWith('reason'));
    const sdkLines = section.slice(section.indexOf('Plugins served by the SDK log'), section.indexOf('### The admin server'));
    quoted.push(...[...sdkLines.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((q) => q.includes(' ') && !q.startsWith('plugd serve')));
    expect(quoted.length).toBeGreaterThan(25);
    const missing: string[] = [];
    for (const q of new Set(quoted)) {
      // Placeholders (NAME, PATH, N, …, "…", numbers, the rpc name, the fields in parentheses) stand for
      // values, and messages are composed from parts (`rejected ${path}: ${err.message}`):
      // every literal piece between placeholders and separators must appear in the code.
      const pieces = q.replace(/\(fields? [^)]*\)/g, '')
        .split(/\b(?:NAME|PATH|METHOD|DIR|GetInfo|[NMKTVU])\b|…|"[^"]*"|\[[^\]]*\]|\d+|[:;]/)
        .map((x) => x.trim().replace(/^[(,.\s]+|[),.\s]+$/g, '')).filter((x) => x.length >= 4);
      for (const piece of pieces) if (!code.includes(piece)) missing.push(`${piece}    (from: ${q})`);
    }
    expect(missing).toEqual([]);
  });
});
