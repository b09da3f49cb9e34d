import { describe, expect, it } from 'vitest';
import type { AdmissionOutcome } from '../admission/chain.js';
import { parseConfig } from '../config.js';
import { admissionResponse, isLoopback, parseGoDuration } from './webhook.js';

describe('kube-apiserver\'s ?timeout= (a Go duration)', () => {
  it.each([['10s', 10_000], ['1m30s', 90_000], ['500ms', 500], ['2.5s', 2500], ['', undefined], ['10', undefined], ['ten s', undefined]])('%j → %s', (text, want) => {
    expect(parseGoDuration(text)).toBe(want);
  });
});

describe('loopback addresses (plain HTTP allowed)', () => {
  it.each([['127.0.0.1', true], ['127.8.0.1', true], ['::1', true], ['[::1]', true], ['localhost', true], ['0.0.0.0', false], ['::', false], ['10.0.0.5', false], ['::ffff:127.0.0.1', true]])('%s → %s', (h, want) => {
    expect(isLoopback(h)).toBe(want);
  });
});

describe('the AdmissionReview answer', () => {
  const base = { warnings: [], auditAnnotations: {}, calls: [] };
  it('carries patch and patchType together, only on /mutate and only for a change', () => {
    const changed: AdmissionOutcome = { ...base, allowed: true, object: {}, patch: [{ op: 'add', path: '/a', value: 1 }] };
    const m = admissionResponse('u', changed, true).response;
    expect(m.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(m.patch!, 'base64').toString())).toEqual([{ op: 'add', path: '/a', value: 1 }]);
    expect(admissionResponse('u', changed, false).response).toEqual({ uid: 'u', allowed: true });
    expect(admissionResponse('u', { ...changed, patch: [] }, true).response).toEqual({ uid: 'u', allowed: true });
  });

  it('a deny carries its status and no patch; audit keys lose their "/" for kube-apiserver\'s prefix', () => {
    const out: AdmissionOutcome = { ...base, allowed: false, plugin: 'p', status: { code: 403, reason: 'Forbidden', message: 'no' }, warnings: ['p: w'], auditAnnotations: { 'p/k': 'v', [`${'x'.repeat(60)}/key`]: 'too long' } };
    expect(admissionResponse('u', out, true)).toEqual({
      apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
      response: { uid: 'u', allowed: false, status: { status: 'Failure', code: 403, reason: 'Forbidden', message: 'no' }, warnings: ['p: w'], auditAnnotations: { 'p.k': 'v' } },
    });
  });
});

describe('config', () => {
  it('takes webhook and admission sections, validated with the key named', () => {
    const cfg = parseConfig({ webhook: { listen: '0.0.0.0:8443', tlsCert: 'tls.crt', tlsKey: 'tls.key', maxBodyBytes: 4096 }, admission: { order: ['inject'] } }, '/etc/plugd');
    expect(cfg.webhook).toMatchObject({ listen: '0.0.0.0:8443', tlsCert: '/etc/plugd/tls.crt', tlsKey: '/etc/plugd/tls.key', maxBodyBytes: 4096 });
    expect(cfg.admission.order).toEqual(['inject']);
    expect(parseConfig({}).webhook.maxBodyBytes).toBe(6 * 1024 * 1024);
    expect(() => parseConfig({ webhook: { tlsCert: 'a' } })).toThrow(/webhook.tlsCert and webhook.tlsKey go together/);
    expect(() => parseConfig({ webhook: { maxBodyBytes: 10 } })).toThrow(/webhook.maxBodyBytes must be an integer/);
    expect(() => parseConfig({ admission: { order: 'x' } })).toThrow(/admission.order/);
  });
});
