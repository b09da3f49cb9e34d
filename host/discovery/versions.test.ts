import { describe, expect, it } from 'vitest';
import { compareVersions, negotiate, sortVersionsDescending } from './versions.js';

describe('version negotiation', () => {
  it.each([
    { host: ['v1'], plugin: ['v1alpha1', 'v1', 'v2'], picked: 'v1' },
    { host: ['v1', 'v1beta1'], plugin: ['v1beta1', 'v1'], picked: 'v1' },
    { host: ['v1beta1', 'v1beta2', 'v1alpha3'], plugin: ['v1alpha3', 'v1beta1', 'v1beta2'], picked: 'v1beta2' },
    { host: ['v1', 'v2'], plugin: ['v2', 'v10'], picked: 'v2' },
    { host: ['v1'], plugin: ['v2', 'v1beta1'], picked: undefined },
    { host: ['v1'], plugin: [], picked: undefined },
  ])('host $host, plugin $plugin → $picked', ({ host, plugin, picked }) => {
    expect(negotiate(host, plugin)).toBe(picked);
  });

  it('orders Kubernetes-style versions GA > beta > alpha, then by number', () => {
    expect(sortVersionsDescending(['v1alpha1', 'v1', 'v2beta1', 'v1beta2', 'v1beta10', 'v2', 'v10'])).toEqual(
      ['v10', 'v2', 'v2beta1', 'v1', 'v1beta10', 'v1beta2', 'v1alpha1']);
    expect(compareVersions('1.0.0', 'v1alpha1')).toBeLessThan(0);
  });
});
