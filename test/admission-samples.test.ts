/**
 * The two admission samples together, each a real plugin behind the SDK over gRPC: what the
 * sidecar-injector adds to a pod must pass pod-security's baseline checks, so opting into
 * log shipping never gets a pod denied.
 */
import { applyPatch, type Operation } from 'rfc6902';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmitRequest } from '../proto/gen/plugd/admission/v1/AdmitRequest.js';
import podSecurity from '../sample-plugins/pod-security/index.js';
import sidecarInjector from '../sample-plugins/sidecar-injector/index.js';
import { testPlugin, type PluginHarness } from '../sdk/testing.js';

type JsonObject = Record<string, unknown>;

const request = (pod: JsonObject, mutatingPhase: boolean): AdmitRequest => ({
  uid: '0f5e3c2a-1b4d-4e6f-8a9b-c0d1e2f3a4b5',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  namespace: 'shop',
  operation: 'CREATE',
  userInfo: { username: 'system:serviceaccount:kube-system:job-controller' },
  object: Buffer.from(JSON.stringify(pod)),
  mutatingPhase,
});

describe('sidecar-injector output under pod-security', () => {
  let inject: PluginHarness<'AdmissionPlugin'>;
  let validate: PluginHarness<'AdmissionPlugin'>;
  beforeAll(async () => { [inject, validate] = await Promise.all([testPlugin(sidecarInjector), testPlugin(podSecurity)]); });
  afterAll(() => Promise.all([inject.close(), validate.close()]));

  it('admits the injected pod of a Job, sidecar and shared volume included', async () => {
    const pod: JsonObject = {
      kind: 'Pod', apiVersion: 'v1',
      metadata: { generateName: 'report-28901234-', namespace: 'shop', labels: { 'job-name': 'report-28901234' }, annotations: { 'sidecar.plugd.dev/inject': 'true' } },
      spec: {
        restartPolicy: 'Never',
        initContainers: [{ name: 'fetch', image: 'curlimages/curl:8.11.1', args: ['-o', '/data/in.csv', 'https://example.com/in.csv'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        containers: [{ name: 'report', image: 'ghcr.io/acme/report:1.4.0', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    };
    const mutated = await inject.call('Admit', request(pod, true));
    expect(mutated.patch.length).toBeGreaterThan(0);
    const injected = structuredClone(pod);
    expect(applyPatch(injected, JSON.parse(mutated.patch.toString()) as Operation[]).filter((e) => e !== null)).toEqual([]);
    expect((injected.spec as { initContainers: Array<{ name: string }> }).initContainers.map((c) => c.name)).toEqual(['log-shipper', 'fetch']);

    const verdict = await validate.call('Admit', request(injected, false));
    expect(verdict).toMatchObject({ allowed: true, warnings: [] });
  });
});
