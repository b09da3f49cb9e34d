import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClusterState } from '../cluster-state.js';
import { CycleState } from '../framework-types.js';
import type { ScoreResults } from '../framework-types.js';
import { Framework, type Profile } from '../framework.js';
import type { PodSchedulingInfo } from '../pod.js';
import { imageLocalityPlugin } from '../plugins.js';
import { loadSchedulerConfiguration } from '../profile.js';
import { imageLocalityPriority, normalizedImageName } from './images.js';
import { makeNodeJson, makePod } from './testing.js';
import { MaxNodeScore } from './types.js';

const mb = 1024 * 1024;
type Images = readonly { readonly names: readonly string[]; readonly sizeBytes: number }[];

/** Pod specs of the upstream table: containers (and init containers) by image. */
function podSpec(containers: readonly string[], initContainers: readonly string[] = []): PodSchedulingInfo {
  const b = makePod();
  for (const i of initContainers) b.initImage(i);
  for (const c of containers) b.image(c);
  return b.obj();
}

/** cache.NewSnapshot(nil, nodes) and the plugin's Score for every node, in order. */
async function scores(pod: PodSchedulingInfo, nodes: readonly (readonly [string, Images])[]): Promise<{ name: string; score: number }[]> {
  const cluster = new ClusterState();
  for (const [name, images] of nodes) cluster.addNode(makeNodeJson(name, {}, { images }));
  const snapshot = cluster.snapshot();
  const r = (await imageLocalityPlugin().score?.({ pod, state: new CycleState(), snapshot }, snapshot.nodes)) as ScoreResults;
  return snapshot.nodes.map((n, i) => ({ name: n.name, score: r.scores[i] as number }));
}

// kubernetes/kubernetes pkg/scheduler/framework/plugins/imagelocality/image_locality_test.go, TestImageLocalityPriority.
describe('ImageLocality (TestImageLocalityPriority)', () => {
  const test40250 = podSpec(['gcr.io/40', 'gcr.io/250']);
  const test40300 = podSpec(['gcr.io/40', 'gcr.io/300']);
  const testMinMax = podSpec(['gcr.io/10', 'gcr.io/4000']);
  const test300600900 = podSpec(['gcr.io/300', 'gcr.io/600', 'gcr.io/900']);
  const test3040 = podSpec(['gcr.io/30', 'gcr.io/40']);
  const test30Init300 = podSpec(['gcr.io/30'], ['gcr.io/300']);

  const node403002000: Images = [
    { names: ['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], sizeBytes: 40 * mb },
    { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * mb },
    { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * mb },
  ];
  const node25010: Images = [
    { names: ['gcr.io/250:latest'], sizeBytes: 250 * mb },
    { names: ['gcr.io/10:latest', 'gcr.io/10:v1'], sizeBytes: 10 * mb },
  ];
  const node60040900: Images = [
    { names: ['gcr.io/600:latest'], sizeBytes: 600 * mb },
    { names: ['gcr.io/40:latest'], sizeBytes: 40 * mb },
    { names: ['gcr.io/900:latest'], sizeBytes: 900 * mb },
  ];
  const node300600900: Images = [
    { names: ['gcr.io/300:latest'], sizeBytes: 300 * mb },
    { names: ['gcr.io/600:latest'], sizeBytes: 600 * mb },
    { names: ['gcr.io/900:latest'], sizeBytes: 900 * mb },
  ];
  const node400030: Images = [
    { names: ['gcr.io/4000:latest'], sizeBytes: 4000 * mb },
    { names: ['gcr.io/30:latest'], sizeBytes: 30 * mb },
  ];
  const node203040: Images = [
    { names: ['gcr.io/20:latest'], sizeBytes: 20 * mb },
    { names: ['gcr.io/30:latest'], sizeBytes: 30 * mb },
    { names: ['gcr.io/40:latest'], sizeBytes: 40 * mb },
  ];
  const nodeWithNoImages: Images = [];

  const cases: { name: string; pod: PodSchedulingInfo; nodes: (readonly [string, Images])[]; expected: [string, number][] }[] = [
    {
      // node2: 100 * (250M/2 - 23M) / (1000M * 2 - 23M) = 5
      name: 'two images spread on two nodes, prefer the larger image one',
      pod: test40250,
      nodes: [['node1', node403002000], ['node2', node25010]],
      expected: [['node1', 0], ['node2', 5]],
    },
    {
      // node1: 100 * ((40M + 300M)/2 - 23M) / (1000M * 2 - 23M) = 7
      name: 'two images on one node, prefer this node',
      pod: test40300,
      nodes: [['node1', node403002000], ['node2', node25010]],
      expected: [['node1', 7], ['node2', 0]],
    },
    {
      // node1: 4000M * 1/2 >= 1000M * 2, max-threshold
      name: 'if exceed limit, use limit',
      pod: testMinMax,
      nodes: [['node1', node400030], ['node2', node25010]],
      expected: [['node1', MaxNodeScore], ['node2', 0]],
    },
    {
      // node1: 100 * (4000M/3 - 23M) / (1000M * 2 - 23M) = 66
      name: 'if exceed limit, use limit (with node which has no images present)',
      pod: testMinMax,
      nodes: [['node1', node400030], ['node2', node25010], ['node3', nodeWithNoImages]],
      expected: [['node1', 66], ['node2', 0], ['node3', 0]],
    },
    {
      // node1: 100 * (600M * 2/3 + 900M * 2/3 - 23M) / (1000M * 3 - 23M) = 32
      // node2: 100 * (300M * 1/3 + 600M * 2/3 + 900M * 2/3 - 23M) / (1000M * 3 - 23M) = 36
      name: 'pod with multiple large images, node2 is preferred',
      pod: test300600900,
      nodes: [['node1', node60040900], ['node2', node300600900], ['node3', nodeWithNoImages]],
      expected: [['node1', 32], ['node2', 36], ['node3', 0]],
    },
    {
      // node1: 100 * (30M + 40M * 1/2 - 23M) / (1000M * 2 - 23M) = 1
      name: 'pod with multiple small images',
      pod: test3040,
      nodes: [['node1', node203040], ['node2', node400030]],
      expected: [['node1', 1], ['node2', 0]],
    },
    {
      // node1: 100 * (300M * 1/2 - 23M) / (1000M * 2 - 23M) = 6
      name: 'include InitContainers: two images spread on two nodes, prefer the larger image one',
      pod: test30Init300,
      nodes: [['node1', node403002000], ['node2', node203040]],
      expected: [['node1', 6], ['node2', 0]],
    },
  ];
  it.each(cases)('$name', async ({ pod, nodes, expected }) => {
    expect(await scores(pod, nodes)).toEqual(expected.map(([name, score]) => ({ name, score })));
  });
});

// image_locality_test.go, TestNormalizedImageName.
describe('normalizedImageName (TestNormalizedImageName)', () => {
  const digest = `sha256:${createHash('sha256').update('root').digest('hex')}`;
  it.each([
    { name: 'add :latest postfix 1', input: 'root', output: 'root:latest' },
    { name: 'add :latest postfix 2', input: 'gcr.io:5000/root', output: 'gcr.io:5000/root:latest' },
    { name: 'keep it as is 1', input: 'root:tag', output: 'root:tag' },
    { name: 'keep it as is 2', input: `root@${digest}`, output: `root@${digest}` },
  ])('$name', ({ input, output }) => {
    expect(normalizedImageName(input)).toBe(output);
  });
});

describe('image node counts in the cluster state', () => {
  it('follow nodes added, updated and removed, and each snapshot keeps its own', () => {
    const cluster = new ClusterState();
    cluster.addNode(makeNodeJson('a', {}, { images: img('x:latest') }));
    cluster.addNode(makeNodeJson('b', {}, { images: img('x:latest') }));
    const before = cluster.snapshot();
    expect(before.imageNodes.get('x:latest')).toBe(2);
    cluster.updateNode(makeNodeJson('b', {}, { images: img('y:latest') }));
    const after = cluster.snapshot();
    expect([after.imageNodes.get('x:latest'), after.imageNodes.get('y:latest')]).toEqual([1, 1]);
    expect(before.imageNodes.get('x:latest')).toBe(2);
    cluster.removeNode('a');
    expect(cluster.snapshot().imageNodes.has('x:latest')).toBe(false);
    // A node listing one name twice counts once.
    cluster.addNode(makeNodeJson('c', {}, { images: [{ names: ['z:1', 'z:1'], sizeBytes: 1 }, { names: ['z:1'], sizeBytes: 2 }] }));
    expect(cluster.snapshot().imageNodes.get('z:1')).toBe(1);
    expect(cluster.node('c')?.node.images.get('z:1')).toBe(1);
  });

  it('scores 0 everywhere for a pod with no containers, or when no node holds its images', async () => {
    expect(imageLocalityPriority(0, 0)).toBe(0);
    expect(await scores(podSpec(['nginx']), [['a', []], ['b', img('redis:latest')]])).toEqual([{ name: 'a', score: 0 }, { name: 'b', score: 0 }]);
  });
});

describe('ImageLocality named in a profile', () => {
  it('tips the choice between otherwise equal nodes toward the one holding the image', async () => {
    const config = loadSchedulerConfiguration({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [{ schedulerName: 'default-scheduler', plugins: { multiPoint: { enabled: [{ name: 'ImageLocality', weight: 1 }] } } }],
    });
    const cluster = new ClusterState();
    cluster.addNode(makeNodeJson('plain', { cpu: '4', memory: '8Gi', pods: '110' }));
    cluster.addNode(makeNodeJson('cached', { cpu: '4', memory: '8Gi', pods: '110' }, { images: img('registry.k8s.io/big:latest', 900 * mb) }));
    cluster.addNode(makeNodeJson('other', { cpu: '4', memory: '8Gi', pods: '110' }));
    const profile = config.profiles[0] as Profile;
    expect(profile.score.map((s) => `${s.plugin.name}:${s.weight}`)).toContain('ImageLocality:1');
    const r = await new Framework(profile, cluster, { seed: 1 }).scheduleOne(podSpec(['registry.k8s.io/big']));
    // 900M × 1/3 = 300M: 100 × (300M − 23M) / (1000M − 23M) = 28.
    expect(r.scores.get('cached')?.plugins['ImageLocality']).toBe(28);
    expect(r.scores.get('plain')?.plugins['ImageLocality']).toBe(0);
    expect(r.node).toBe('cached');
  });
});

function img(name: string, size = 100 * mb): Images {
  return [{ names: [name], sizeBytes: size }];
}
