#!/usr/bin/env node
// Writes docs/reference/proto.md: every service, rpc, message, field, enum and value of the
// contracts in proto/, described by the comments in the .proto files (the protos are the one
// source; this page is their index). `--check FILE` writes FILE instead, so a test can compare
// it with the committed page. Parsed with protobufjs, the parser @grpc/proto-loader uses.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const protoRoot = join(root, 'proto');
const require = createRequire(import.meta.url);
const protobuf = createRequire(require.resolve('@grpc/proto-loader'))('protobufjs');

function protos(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name === 'gen') continue;
    if (statSync(p).isDirectory()) protos(p, out);
    else if (p.endsWith('.proto')) out.push(relative(protoRoot, p));
  }
  return out;
}

/** The comment block at the top of a .proto file, before `syntax`: its overview. */
function fileHeader(source) {
  const lines = [];
  for (const line of source.split('\n')) {
    const t = line.trim();
    if (t.startsWith('syntax')) break;
    if (t.startsWith('//')) lines.push(t.replace(/^\/\/ ?/, ''));
    else if (t === '' && lines.length) lines.push('');
  }
  return lines.join('\n').trim();
}

/** A comment as one table cell: one line, pipes escaped. */
const cell = (text) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
/** A comment as paragraphs: protobufjs joins lines with \n; blank lines separate paragraphs. */
const prose = (text) => (text ?? '').split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean).join('\n\n');
const anchor = (fullName) => fullName.replace(/^\./, '').replace(/\./g, '-').toLowerCase();
const fileAnchor = (file) => `file-${file.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;

function typeRef(field) {
  const t = field.resolvedType;
  const name = t ? `[${t.fullName.replace(/^\./, '')}](#${anchor(t.fullName)})` : `\`${field.type}\``;
  if (field.map) return `map<\`${field.keyType}\`, ${name}>`;
  if (field.repeated) return `repeated ${name}`;
  if (field.options?.proto3_optional) return `optional ${name}`;
  return name;
}

function renderEnum(e, out) {
  out.push(`<a id="${anchor(e.fullName)}"></a>`, `#### enum \`${e.fullName.replace(/^\./, '')}\``, '');
  if (e.comment) out.push(prose(e.comment), '');
  out.push('| value | number | meaning |', '| --- | --- | --- |');
  for (const [name, number] of Object.entries(e.values)) out.push(`| \`${name}\` | ${number} | ${cell(e.comments[name])} |`);
  out.push('');
}

function renderMessage(m, out) {
  out.push(`<a id="${anchor(m.fullName)}"></a>`, `#### message \`${m.fullName.replace(/^\./, '')}\``, '');
  if (m.comment) out.push(prose(m.comment), '');
  const fields = m.fieldsArray.filter((f) => !f.partOf || f.partOf.fieldsArray.length > 1 || !f.options?.proto3_optional);
  if (fields.length === 0) out.push('No fields.', '');
  else {
    out.push('| # | field | type | meaning |', '| --- | --- | --- | --- |');
    for (const f of fields) {
      const oneof = f.partOf && !f.options?.proto3_optional ? ` (oneof \`${f.partOf.name}\`)` : '';
      out.push(`| ${f.id} | \`${f.name}\` | ${typeRef(f)}${oneof} | ${cell(f.comment)} |`);
    }
    out.push('');
  }
  for (const nested of m.nestedArray) {
    if (nested instanceof protobuf.Enum) renderEnum(nested, out);
    else if (nested instanceof protobuf.Type) renderMessage(nested, out);
  }
}

function renderService(s, out) {
  out.push(`<a id="${anchor(s.fullName)}"></a>`, `#### service \`${s.fullName.replace(/^\./, '')}\``, '');
  if (s.comment) out.push(prose(s.comment), '');
  out.push('| rpc | request | response | meaning |', '| --- | --- | --- | --- |');
  for (const m of s.methodsArray) {
    const ref = (t, streaming) => `${streaming ? 'stream ' : ''}[${t.fullName.replace(/^\./, '')}](#${anchor(t.fullName)})`;
    out.push(`| \`${m.name}\` | ${ref(m.resolvedRequestType, m.requestStream)} | ${ref(m.resolvedResponseType, m.responseStream)} | ${cell(m.comment)} |`);
  }
  out.push('');
}

/** Every reflection object declared in `file`, in declaration order, grouped by kind. */
function declaredIn(ns, file, acc = { services: [], messages: [], enums: [] }) {
  for (const obj of ns.nestedArray) {
    if (obj instanceof protobuf.Service) { if (obj.filename === file) acc.services.push(obj); }
    else if (obj instanceof protobuf.Type) { if (obj.filename === file) acc.messages.push(obj); }
    else if (obj instanceof protobuf.Enum) { if (obj.filename === file) acc.enums.push(obj); }
    else if (obj instanceof protobuf.Namespace) declaredIn(obj, file, acc);
  }
  return acc;
}

export function render() {
  const files = protos(protoRoot);
  const rootNs = new protobuf.Root();
  rootNs.resolvePath = (_origin, target) => (target.startsWith(protoRoot) ? target : join(protoRoot, target));
  rootNs.loadSync(files.map((f) => join(protoRoot, f)), { keepCase: true, alternateCommentMode: true });
  rootNs.resolveAll();

  const out = [
    '# Proto reference',
    '',
    'Every service, rpc, message, field and enum of plugd\'s contracts, from the comments in',
    '[`proto/`](../../proto/). Generated by `node scripts/proto-docs.js`; do not edit by hand',
    '(`test/proto-docs.test.ts` fails when this page and the protos disagree).',
    '',
  ];
  const sections = files.map((f) => {
    const full = join(protoRoot, f);
    const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(readFileSync(full, 'utf8'))?.[1] ?? '';
    return { f, full, pkg };
  });
  for (const { f, pkg } of sections) out.push(`- [\`${pkg}\`](#${fileAnchor(f)}) — \`proto/${f}\``);
  out.push('');
  for (const { f, full, pkg } of sections) {
    out.push(`<a id="${fileAnchor(f)}"></a>`, `## \`${pkg}\` — \`proto/${f}\``, '');
    const header = fileHeader(readFileSync(full, 'utf8'));
    if (header) out.push(header, '');
    const { services, messages, enums } = declaredIn(rootNs, full);
    if (services.length) { out.push('### Services', ''); for (const s of services) renderService(s, out); }
    if (messages.length) { out.push('### Messages', ''); for (const m of messages) renderMessage(m, out); }
    if (enums.length) { out.push('### Enums', ''); for (const e of enums) renderEnum(e, out); }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = process.argv[2] === '--check' ? process.argv[3] : join(root, 'docs', 'reference', 'proto.md');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, render());
  if (process.argv[2] !== '--check') console.error(`plugd: wrote ${relative(process.cwd(), target) || target}`);
}
