/**
 * docs/admission.md's manifests are what a user applies: valid YAML, valid
 * admissionregistration.k8s.io/v1 objects by the Kubernetes schemas, pointing at the door's
 * paths and keeping plugd's own namespace and kube-system out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './helpers.js';

const text = readFileSync(join(ROOT, 'docs/admission.md'), 'utf8');
const yamlBlocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const docs = yamlBlocks.flatMap((b) => parseAllDocuments(b).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as { kind: string; webhooks?: Array<Record<string, unknown>> };
}));

describe('docs/admission.md manifests', () => {
  it('are valid Kubernetes objects', () => {
    expect(docs.map((d) => d.kind)).toEqual(['Service', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
    const make = { Service, MutatingWebhookConfiguration, ValidatingWebhookConfiguration } as const;
    for (const d of docs) expect(() => new make[d.kind as keyof typeof make](d as never).validate(), d.kind).not.toThrow();
  });

  it('point kube-apiserver at /mutate and /validate with v1 reviews, and exclude plugd and kube-system', () => {
    const hooks = docs.flatMap((d) => d.webhooks ?? []) as Array<{ clientConfig: { service: { path: string } }; admissionReviewVersions: string[]; sideEffects: string; namespaceSelector: { matchExpressions: Array<{ key: string; operator: string; values: string[] }> } }>;
    expect(hooks.map((h) => h.clientConfig.service.path)).toEqual(['/mutate', '/validate']);
    for (const h of hooks) {
      expect(h.admissionReviewVersions).toEqual(['v1']);
      expect(['None', 'NoneOnDryRun']).toContain(h.sideEffects);
      expect(h.namespaceSelector.matchExpressions).toContainEqual({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['plugd', 'kube-system'] });
    }
  });
});
