/**
 * Reading the Kubernetes documents users hand plugd (`kubectl get … -o json` or `-o yaml`,
 * KubeSchedulerConfiguration files): JSON, or YAML with any number of `---` documents. Every
 * problem names the file and, for YAML, the line.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** An unreadable or unparsable document file; the message names the file (and line). */
export class KubeDocumentError extends Error {
  readonly code = 'PLUGD_ERR_KUBE_DOCUMENT' as const;
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'KubeDocumentError';
  }
}

/** One parsed document and where it came from ("file", or "file (document 2)" for multi-doc YAML). */
export interface KubeDocument {
  readonly doc: unknown;
  readonly source: string;
}

/**
 * Parses `text` as JSON when it opens like JSON (so JSON keeps JSON's exact errors), else as
 * YAML 1.2 (the core schema kubectl's output needs). Empty YAML documents (a trailing `---`)
 * are dropped.
 */
export function parseKubeDocuments(text: string, source: string): KubeDocument[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [{ doc: JSON.parse(text) as unknown, source }];
    } catch (err) {
      throw new KubeDocumentError(`${source}: not valid JSON: ${(err as Error).message}`, err);
    }
  }
  // uniqueKeys: a repeated key is an error in kubectl's own YAML decoder too.
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: KubeDocument[] = [];
  list.forEach((d, i) => {
    const label = list.length > 1 ? `${source} (document ${i + 1})` : source;
    const first = d.errors[0];
    if (first !== undefined) {
      const line = first.linePos?.[0].line;
      throw new KubeDocumentError(`${label}: not valid YAML${line === undefined ? '' : ` at line ${line}`}: ${first.message.split('\n')[0] ?? ''}`, first);
    }
    const doc = d.toJS({ maxAliasCount: 100 }) as unknown;
    if (doc !== null && doc !== undefined) out.push({ doc, source: label });
  });
  return out;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new KubeDocumentError(`${file}: ${(err as Error).message}`, err);
  }
}

/** Every document of a JSON or YAML file. */
export function readKubeDocuments(file: string): KubeDocument[] {
  return parseKubeDocuments(readText(file), file);
}

/** A file that must hold exactly one document (a KubeSchedulerConfiguration). */
export function readKubeDocument(file: string): unknown {
  const docs = readKubeDocuments(file);
  if (docs.length !== 1) throw new KubeDocumentError(`${file}: expected one document, found ${docs.length}`);
  return (docs[0] as KubeDocument).doc;
}
