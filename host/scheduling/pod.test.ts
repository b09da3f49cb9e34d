import { describe, expect, it } from 'vitest';
import {
  DefaultMemoryRequest,
  DefaultMilliCPURequest,
  extractPod,
  isExtendedResourceName,
  isNativeResource,
  isScalarResourceName,
  PodSpecError,
  podRequests,
  podResourceSpecFromJson,
} from './pod.js';
import { quantityMilliValue, quantityValue, QuantityError } from './quantity.js';

type Json = Record<string, unknown>;

function c(requests: Record<string, string>, restartPolicy?: 'Always'): Json {
  return restartPolicy === undefined ? { resources: { requests } } : { restartPolicy, resources: { requests } };
}

function pod(spec: Json, meta: Json = { namespace: 'ns', name: 'p', uid: 'u1' }): Json {
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
}

function cpuOf(spec: Json, opts: { excludeOverhead?: boolean } = {}): number {
  const q = podRequests(podResourceSpecFromJson(spec), opts).get('cpu');
  return q === undefined ? 0 : quantityMilliValue(q);
}

// staging/src/k8s.io/component-helpers/resource/helpers_test.go, TestPodResourceRequests
// (the cases that do not read pod status).
describe('requests aggregate as resourcehelper.PodRequests', () => {
  it.each([
    ['nil options, larger init container', { initContainers: [c({ cpu: '4' })], containers: [c({ cpu: '1' })] }, 4000],
    ['nil options, larger containers', { initContainers: [c({ cpu: '2' })], containers: [c({ cpu: '2' }), c({ cpu: '3' })] }, 5000],
    ['restartable init container', { initContainers: [c({ cpu: '1' }, 'Always')], containers: [c({ cpu: '1' })] }, 2000],
    [
      'multiple restartable init containers',
      {
        initContainers: [c({ cpu: '5' }), c({ cpu: '1' }, 'Always'), c({ cpu: '2' }, 'Always'), c({ cpu: '3' }, 'Always')],
        containers: [c({ cpu: '1' })],
      },
      7000,
    ],
    [
      'multiple restartable and regular init containers',
      {
        initContainers: [
          c({ cpu: '5' }),
          c({ cpu: '1' }, 'Always'),
          c({ cpu: '2' }, 'Always'),
          c({ cpu: '5' }),
          c({ cpu: '3' }, 'Always'),
        ],
        containers: [c({ cpu: '1' })],
      },
      8000,
    ],
    ['restartable-init, init and regular', { initContainers: [c({ cpu: '10' }, 'Always'), c({ cpu: '200' })], containers: [c({ cpu: '100' })] }, 210000],
  ] as const)('%s', (_name, spec, milliCPU) => {
    expect(cpuOf(spec)).toBe(milliCPU);
  });

  it('pod overhead excluded / included', () => {
    const spec = {
      overhead: { cpu: '1', memory: '1Gi' },
      initContainers: [c({ cpu: '2' })],
      containers: [c({ cpu: '2' }), c({ cpu: '3' })],
    };
    expect(cpuOf(spec, { excludeOverhead: true })).toBe(5000);
    expect(cpuOf(spec)).toBe(6000);
    const info = extractPod(pod(spec));
    expect(info.requests.get('cpu')).toBe(6000);
    expect(info.requests.get('memory')).toBe(1073741824);
  });

  it('sums exact quantities and rounds once (two 0.4m containers request 1m)', () => {
    expect(extractPod(pod({ containers: [c({ cpu: '0.0004' }), c({ cpu: '0.0004' })] })).requests.get('cpu')).toBe(1);
  });

  it('keeps every listed resource, in base units, cpu in millicores', () => {
    const info = extractPod(pod({ containers: [c({ cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '2', 'ephemeral-storage': '2G' })] }));
    expect(Object.fromEntries(info.requests)).toEqual({
      cpu: 500,
      memory: 1073741824,
      'nvidia.com/gpu': 2,
      'ephemeral-storage': 2000000000,
    });
  });
});

// fit_test.go TestEnoughRequests' pod-level cases: pod-level cpu/memory/hugepages replace the
// container aggregate when PodLevelResources is on.
describe('pod-level requests (PodLevelResources)', () => {
  const spec = {
    resources: { requests: { cpu: '7m', memory: '2', 'hugepages-2Mi': '5' } },
    containers: [c({ cpu: '1m', memory: '1', 'example.com/aaa': '1' })],
  };

  it('replace cpu, memory and hugepages-* when the gate is on (the default)', () => {
    expect(Object.fromEntries(extractPod(pod(spec)).requests)).toEqual({ cpu: 7, memory: 2, 'hugepages-2Mi': 5, 'example.com/aaa': 1 });
  });

  it('are ignored when the gate is off', () => {
    expect(Object.fromEntries(extractPod(pod(spec), { podLevelResources: false }).requests)).toEqual({
      cpu: 1,
      memory: 1,
      'example.com/aaa': 1,
    });
  });
});

describe('non-zero requests (schedutil.DefaultMilliCPURequest / DefaultMemoryRequest)', () => {
  it('count a container without requests as 100m and 200 MiB', () => {
    const info = extractPod(pod({ containers: [{ name: 'c' }] }));
    expect(info.nonZero).toEqual({ milliCPU: DefaultMilliCPURequest, memory: DefaultMemoryRequest });
    expect(info.nonZero).toEqual({ milliCPU: 100, memory: 209715200 });
    expect(info.requests.size).toBe(0);
    expect(Object.fromEntries(info.nonZeroRequests)).toEqual({ cpu: 100, memory: 209715200 });
  });

  it('count a pod with no containers at all as nothing', () => {
    const info = extractPod(pod({}));
    expect(info.nonZero).toEqual({ milliCPU: 0, memory: 0 });
  });

  it('add the defaults per container that omits a resource, and keep an explicit 0', () => {
    const info = extractPod(pod({ containers: [c({ cpu: '0' }), c({ memory: '1Gi' }), { name: 'bare' }] }));
    expect(info.nonZero).toEqual({ milliCPU: 0 + 100 + 100, memory: 209715200 + 1073741824 + 209715200 });
  });

  it('apply to init containers too, then take the max', () => {
    const info = extractPod(pod({ initContainers: [{ name: 'init' }], containers: [c({ cpu: '50m', memory: '10Mi' })] }));
    expect(info.nonZero).toEqual({ milliCPU: 100, memory: 209715200 });
    expect(info.requests.get('cpu')).toBe(50);
  });

  it('include pod overhead', () => {
    const info = extractPod(pod({ overhead: { cpu: '10m', memory: '1Mi' }, containers: [{ name: 'c' }] }));
    expect(info.nonZero).toEqual({ milliCPU: 110, memory: 209715200 + 1048576 });
  });

  it('with pod-level requests, default only what neither containers nor the pod level mention', () => {
    const info = extractPod(pod({ resources: { requests: { memory: '1Gi' } }, containers: [{ name: 'c' }] }));
    expect(info.nonZero).toEqual({ milliCPU: 100, memory: 1073741824 });
  });
});

describe('extractPod reads the scheduling-relevant fields', () => {
  const full = pod(
    {
      nodeName: 'node-7',
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, { operator: 'Exists' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 5, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] } },
          ],
        },
      },
      initContainers: [c({ cpu: '1' }, 'Always')],
      containers: [{ name: 'main' }],
    },
    { namespace: 'team', name: 'web-0', uid: 'abc' },
  );

  it('names, node name, selector, tolerations and affinity', () => {
    const info = extractPod(full);
    expect([info.namespace, info.name, info.uid, info.nodeName]).toEqual(['team', 'web-0', 'abc', 'node-7']);
    expect(info.nodeSelector).toEqual({ disk: 'ssd' });
    expect(info.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: '', operator: 'Exists', value: '', effect: '' },
    ]);
    expect(info.requiredNodeAffinity).toEqual({
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }], matchFields: [] }],
    });
    expect(info.preferredNodeAffinity).toEqual([
      { weight: 5, preference: { matchExpressions: [], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] } },
    ]);
    expect(info.hasRestartableInitContainer).toBe(true);
  });

  it('leaves absent fields undefined or empty', () => {
    const info = extractPod(pod({ containers: [] }, {}));
    expect(info.nodeName).toBe('');
    expect(info.nodeSelector).toBeUndefined();
    expect(info.requiredNodeAffinity).toBeUndefined();
    expect(info.preferredNodeAffinity).toBeUndefined();
    expect(info.tolerations).toEqual([]);
    expect(info.hasRestartableInitContainer).toBe(false);
  });

  it('accepts bare JSON numbers as quantities (Quantity.UnmarshalJSON does)', () => {
    expect(extractPod(pod({ containers: [{ resources: { requests: { cpu: 0.5, memory: 1024 } } }] })).requests.get('cpu')).toBe(500);
  });

  it('names the JSON path of a malformed quantity and keeps the QuantityError as cause', () => {
    let caught: unknown;
    try {
      extractPod(pod({ containers: [c({ cpu: '1' }), c({ cpu: 'lots' })] }));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PodSpecError);
    const e = caught as PodSpecError;
    expect(e.code).toBe('PLUGD_ERR_POD_INVALID');
    expect(e.path).toBe('spec.containers[1].resources.requests.cpu');
    expect(e.cause).toBeInstanceOf(QuantityError);
  });

  it.each([
    ['a non-object pod', 42, 'pod'],
    ['containers not an array', pod({ containers: {} }), 'spec.containers'],
    ['a toleration key not a string', pod({ tolerations: [{ key: 7 }] }), 'spec.tolerations[0].key'],
    ['a preference weight not an integer', pod({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 'x' }] } } }), 'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight'],
  ] as const)('refuses %s, naming %s', (_name, input, path) => {
    expect(() => extractPod(input)).toThrow(PodSpecError);
    try {
      extractPod(input);
    } catch (err) {
      expect((err as PodSpecError).path).toBe(path);
    }
  });
});

// pkg/apis/core/v1/helper (IsExtendedResourceName, IsNativeResource) and
// pkg/scheduler/util.IsScalarResourceName, on the names fit_test.go uses.
describe('resource names', () => {
  it.each([
    ['example.com/aaa', true, false, true],
    ['nvidia.com/gpu', true, false, true],
    ['kubernetes.io/something', false, true, true],
    ['subdomain.kubernetes.io/something', false, true, true],
    ['hugepages-2Mi', false, true, true],
    ['attachable-volumes-aws-ebs', false, true, true],
    ['cpu', false, true, false],
    ['memory', false, true, false],
    ['requests.example.com/x', false, false, false],
    ['Bad_Prefix!/x', false, false, false],
  ] as const)('%s: extended %s, native %s, scalar %s', (name, extended, native, scalar) => {
    expect(isExtendedResourceName(name)).toBe(extended);
    expect(isNativeResource(name)).toBe(native);
    expect(isScalarResourceName(name)).toBe(scalar);
  });

  it('values memory in bytes and cpu in millicores', () => {
    const info = extractPod(pod({ containers: [c({ cpu: '2', memory: '2' })] }));
    expect(info.requests.get('cpu')).toBe(2000);
    expect(info.requests.get('memory')).toBe(2);
    expect(quantityValue(podRequests(info.resources).get('memory') ?? { unscaled: 0n, scale: 0, format: 'DecimalSI' })).toBe(2);
  });
});
