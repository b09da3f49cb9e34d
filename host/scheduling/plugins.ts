/**
 * The built-in plugins as framework plugin objects: each adapts the pure functions of
 * builtins/*.ts to the per-extension-point interfaces of framework.ts, and decodes and
 * validates its pluginConfig args (strictly, naming the field) as kube-scheduler does.
 */
import {
  compileNodeAffinityArgs,
  NO_ADDED_AFFINITY,
  nodeAffinityFilter,
  nodeAffinityPreFilter,
  nodeAffinityPreScore,
  nodeAffinityScore,
  requiredNodeAffinity,
  type CompiledPreferredTerms,
  type NodeAffinityArgs,
  type RequiredNodeAffinity,
} from './builtins/affinity.js';
import {
  balancedAllocationPreScore,
  compileBalancedAllocation,
  compileScoringStrategy,
  fitFilter,
  fitPodRequest,
  fitPreFilter,
  podScoringRequests,
  scoreNodeResources,
  validateScoringStrategy,
  withScoringDefaults,
  type CompiledScorer,
  type FieldError,
  type FitFilterArgs,
  type ResourceSpec,
  type ScoringStrategyInput,
  type ScoringStrategyType,
} from './builtins/fit.js';
import { defaultNormalizeScore } from './builtins/framework-helpers.js';
import { imageLocalityPriority, sumImageScores } from './builtins/images.js';
import { nodePortsFilter, nodePortsPreFilter, type HostPort } from './builtins/ports.js';
import type { UtilizationShapePoint } from './builtins/resources.js';
import {
  countIntolerableTaintsPreferNoSchedule,
  nodeNameFilter,
  nodeUnschedulableFilter,
  taintTolerationFilter,
  tolerationsPreferNoSchedule,
} from './builtins/taints.js';
import { Code, MaxNodeScore, SUCCESS, type NodeAffinitySpec, type PluginStatus, type Toleration } from './builtins/types.js';
import type { NodeInfo } from './cluster-state.js';
import { stateKey, type CycleContext, type MaybePromise, type SchedulerPlugin, type ScoreResults } from './framework.js';
import type { NodeColumns } from './node-columns.js';
import { ResourceScorer, type ResourceScorerOptions } from './pool-scorer.js';
import { Compute } from './score-worker.js';
import { nodeSelectorFromJson, PodSpecError, preferredTermsFromJson } from './pod.js';

export const NodeUnschedulableName = 'NodeUnschedulable';
export const NodeNameName = 'NodeName';
export const TaintTolerationName = 'TaintToleration';
export const NodeAffinityName = 'NodeAffinity';
export const NodeResourcesFitName = 'NodeResourcesFit';
export const BalancedAllocationName = 'NodeResourcesBalancedAllocation';
export const DefaultBinderName = 'DefaultBinder';
export const NodePortsName = 'NodePorts';
export const ImageLocalityName = 'ImageLocality';

/**
 * Builds a plugin from its pluginConfig args (undefined when none were given). Pushes every
 * problem to `errors` with its path (under `path`) and returns undefined when there was one.
 */
export type PluginFactory = (args: unknown, path: string, errors: FieldError[]) => SchedulerPlugin | undefined;

// ---------------------------------------------------------------- args decoding

type JsonObject = { readonly [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An args object with only `allowed` keys (kube decodes plugin args strictly); undefined when absent. */
function argsObject(v: unknown, path: string, allowed: readonly string[], errors: FieldError[]): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    errors.push({ field: path, message: 'expected an object' });
    return undefined;
  }
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k) && k !== 'apiVersion' && k !== 'kind') errors.push({ field: `${path}.${k}`, message: 'unknown field' });
  }
  return v;
}

function stringList(v: unknown, path: string, errors: FieldError[]): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    errors.push({ field: path, message: 'expected a list of strings' });
    return undefined;
  }
  return v as string[];
}

function integerAt(v: unknown, path: string, errors: FieldError[]): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    errors.push({ field: path, message: `expected an integer, got ${JSON.stringify(v)}` });
    return 0;
  }
  return v;
}

function resourceSpecs(v: unknown, path: string, errors: FieldError[]): ResourceSpec[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    errors.push({ field: path, message: 'expected a list' });
    return undefined;
  }
  return v.map((raw: unknown, i) => {
    const at = `${path}[${i}]`;
    const o = argsObject(raw, at, ['name', 'weight'], errors) ?? {};
    const name = o['name'];
    if (typeof name !== 'string' || name.length === 0) errors.push({ field: `${at}.name`, message: 'Required value: a resource name' });
    return { name: typeof name === 'string' ? name : '', weight: integerAt(o['weight'], `${at}.weight`, errors) };
  });
}

function shapePoints(v: unknown, path: string, errors: FieldError[]): UtilizationShapePoint[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    errors.push({ field: path, message: 'expected a list' });
    return undefined;
  }
  return v.map((raw: unknown, i) => {
    const o = argsObject(raw, `${path}[${i}]`, ['utilization', 'score'], errors) ?? {};
    return { utilization: integerAt(o['utilization'], `${path}[${i}].utilization`, errors), score: integerAt(o['score'], `${path}[${i}].score`, errors) };
  });
}

const STRATEGY_TYPES: readonly string[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

function scoringStrategyInput(v: unknown, path: string, errors: FieldError[]): ScoringStrategyInput | undefined {
  const o = argsObject(v, path, ['type', 'resources', 'requestedToCapacityRatio'], errors);
  if (o === undefined) return undefined;
  const type = o['type'];
  if (type !== undefined && (typeof type !== 'string' || !STRATEGY_TYPES.includes(type))) {
    errors.push({
      field: `${path}.type`,
      message: `Unsupported value: ${JSON.stringify(type)}: supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"`,
    });
  }
  const resources = resourceSpecs(o['resources'], `${path}.resources`, errors);
  const ratio = argsObject(o['requestedToCapacityRatio'], `${path}.requestedToCapacityRatio`, ['shape'], errors);
  const shape = ratio === undefined ? undefined : shapePoints(ratio['shape'], `${path}.requestedToCapacityRatio.shape`, errors);
  return {
    ...(typeof type === 'string' && STRATEGY_TYPES.includes(type) ? { type: type as ScoringStrategyType } : {}),
    ...(resources !== undefined ? { resources } : {}),
    ...(shape !== undefined ? { requestedToCapacityRatio: { shape } } : {}),
  };
}

// ---------------------------------------------------------------- the plugins

function scoreEach(nodes: readonly NodeInfo[], one: (n: NodeInfo) => number): ScoreResults {
  const scores = new Array<number>(nodes.length);
  for (let i = 0; i < nodes.length; i++) scores[i] = one(nodes[i] as NodeInfo);
  return { status: SUCCESS, scores };
}

/** NodeUnschedulable: Filter on spec.unschedulable, unless the pod tolerates the unschedulable taint. */
export function nodeUnschedulablePlugin(): SchedulerPlugin {
  return {
    name: NodeUnschedulableName,
    filter: (ctx, nodes) => nodes.map((n) => nodeUnschedulableFilter(n.node.unschedulable, ctx.pod.tolerations)),
  };
}

/** NodeName: Filter on the pod's spec.nodeName. */
export function nodeNamePlugin(): SchedulerPlugin {
  return {
    name: NodeNameName,
    filter: (ctx, nodes) => nodes.map((n) => nodeNameFilter(ctx.pod.nodeName, n.name)),
  };
}

/** TaintToleration: Filter on NoSchedule/NoExecute taints; Score counts untolerated PreferNoSchedule taints, normalized reversed. */
export function taintTolerationPlugin(): SchedulerPlugin {
  const preferKey = stateKey<readonly Toleration[]>('TaintToleration/preScore');
  const prefer = (ctx: CycleContext): readonly Toleration[] => ctx.state.read(preferKey) ?? tolerationsPreferNoSchedule(ctx.pod.tolerations);
  return {
    name: TaintTolerationName,
    filter: (ctx, nodes) => nodes.map((n) => taintTolerationFilter(n.node.taints, ctx.pod.tolerations)),
    preScore(ctx) {
      ctx.state.write(preferKey, tolerationsPreferNoSchedule(ctx.pod.tolerations));
      return SUCCESS;
    },
    score(ctx, nodes) {
      const tolerations = prefer(ctx);
      return scoreEach(nodes, (n) => countIntolerableTaintsPreferNoSchedule(n.node.taints, tolerations));
    },
    normalizeScore(_ctx, _nodes, scores) {
      defaultNormalizeScore(MaxNodeScore, true, scores);
      return SUCCESS;
    },
  };
}

/** NodeAffinity: PreFilter (may restrict to named nodes, or Skip), Filter, PreScore, Score, normalized. */
export function nodeAffinityPlugin(args: NodeAffinityArgs = NO_ADDED_AFFINITY): SchedulerPlugin {
  const requiredKey = stateKey<RequiredNodeAffinity>('NodeAffinity/preFilter');
  const preferredKey = stateKey<CompiledPreferredTerms | undefined>('NodeAffinity/preScore');
  return {
    name: NodeAffinityName,
    preFilter(ctx) {
      const r = nodeAffinityPreFilter(ctx.pod, args);
      ctx.state.write(requiredKey, requiredNodeAffinity(ctx.pod));
      return r;
    },
    filter(ctx, nodes) {
      const required = ctx.state.read(requiredKey) ?? requiredNodeAffinity(ctx.pod);
      return nodes.map((n) => nodeAffinityFilter(required, n.node, args));
    },
    preScore(ctx) {
      const r = nodeAffinityPreScore(ctx.pod, args);
      ctx.state.write(preferredKey, r.preferred);
      return r.status;
    },
    score(ctx, nodes) {
      const preferred = ctx.state.read(preferredKey) ?? nodeAffinityPreScore(ctx.pod, args).preferred;
      return scoreEach(nodes, (n) => nodeAffinityScore(preferred, n.node, args));
    },
    normalizeScore(_ctx, _nodes, scores) {
      defaultNormalizeScore(MaxNodeScore, false, scores);
      return SUCCESS;
    },
  };
}

function resourceScore(scorer: CompiledScorer, ctx: CycleContext, nodes: readonly NodeInfo[], requests: ArrayLike<number>): ScoreResults {
  const scores = new Array<number>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const r = scoreNodeResources(scorer, ctx.pod, nodes[i] as NodeInfo, requests);
    if (r.status.code !== SUCCESS.code) return { status: r.status, scores: [] };
    scores[i] = r.score;
  }
  return { status: SUCCESS, scores };
}

// ---- the columnar path (framework node columns): same results, computed over the table

/** Candidates from which a resource Score runs in the framework's pool rather than inline. */
export const POOL_SCORE_FROM = 2048;

type ScorerOptions = Omit<ResourceScorerOptions, 'pool'>;

/** One ResourceScorer per node table (a framework's), made on first use. */
function columnarScorer(options: ScorerOptions): (ctx: CycleContext) => ResourceScorer | undefined {
  const scorers = new WeakMap<NodeColumns, ResourceScorer>();
  return (ctx) => {
    const columns = ctx.columns;
    if (columns === undefined) return undefined;
    let s = scorers.get(columns);
    if (s === undefined) {
      s = new ResourceScorer(columns, { ...options, pool: ctx.pool ?? null, inlineBelow: POOL_SCORE_FROM });
      scorers.set(columns, s);
    }
    return s;
  };
}

/** One plane of the scorer's results for `nodes`: inline below the pool's crossover, in the pool above it. */
// The feasible nodes' table rows, looked up once per cycle: both resource Score plugins are
// handed the same array of nodes, which the framework does not change during the cycle.
const scoreRowsKey = stateKey<{ readonly nodes: readonly NodeInfo[]; readonly rows: Uint32Array }>('resource scorers/rows');

function columnarScores(scorer: ResourceScorer, ctx: CycleContext, nodes: readonly NodeInfo[], compute: number, plane: 'fitScore' | 'balancedScore'): MaybePromise<ScoreResults> {
  let known = ctx.state.read(scoreRowsKey);
  if (known?.nodes !== nodes) {
    known = { nodes, rows: scorer.columns.rowsOf(nodes) };
    ctx.state.write(scoreRowsKey, known);
  }
  if (ctx.pool !== undefined && nodes.length >= POOL_SCORE_FROM) {
    return scorer.score(ctx.pod, known.rows, { mode: 'pool' }).then((r) => ({ status: SUCCESS, scores: r[plane] }));
  }
  return { status: SUCCESS, scores: scorer.scoreInline(ctx.pod, known.rows, compute)[plane] };
}

/** NodeResourcesFit: PreFilter, Filter (kube's reasons), PreScore and Score by the configured strategy. */
export function nodeResourcesFitPlugin(filterArgs: FitFilterArgs = {}, scorer: CompiledScorer = compileScoringStrategy(withScoringDefaults())): SchedulerPlugin {
  const requestKey = stateKey<ReadonlyMap<string, number>>('NodeResourcesFit/preFilter');
  const scoreKey = stateKey<Float64Array>('NodeResourcesFit/preScore');
  const columnar = columnarScorer({ fit: scorer, filter: filterArgs });
  return {
    name: NodeResourcesFitName,
    preFilter(ctx) {
      const s: PluginStatus = fitPreFilter(ctx.pod);
      ctx.state.write(requestKey, fitPodRequest(ctx.pod));
      return { status: s };
    },
    filter(ctx, nodes) {
      const request = ctx.state.read(requestKey) ?? fitPodRequest(ctx.pod);
      const table = columnar(ctx);
      if (table === undefined) return nodes.map((n) => fitFilter(request, n, filterArgs));
      // The table says which nodes fit; only the ones that do not are looked at again, for kube's reasons.
      const codes = table.scoreInline(ctx.pod, nodes, Compute.FitCode).fitCode;
      return nodes.map((n, i) => (codes[i] === Code.Success ? SUCCESS : fitFilter(request, n, filterArgs)));
    },
    preScore(ctx) {
      ctx.state.write(scoreKey, podScoringRequests(scorer, ctx.pod));
      return SUCCESS;
    },
    score(ctx, nodes) {
      const table = columnar(ctx);
      if (table === undefined) return resourceScore(scorer, ctx, nodes, ctx.state.read(scoreKey) ?? podScoringRequests(scorer, ctx.pod));
      return columnarScores(table, ctx, nodes, Compute.FitScore, 'fitScore');
    },
  };
}

/** NodeResourcesBalancedAllocation: PreScore (Skip for a pod requesting nothing), Score. */
export function balancedAllocationPlugin(scorer: CompiledScorer = compileBalancedAllocation()): SchedulerPlugin {
  const columnar = columnarScorer({ balanced: scorer });
  return {
    name: BalancedAllocationName,
    preScore: (ctx) => balancedAllocationPreScore(scorer, ctx.pod),
    score(ctx, nodes) {
      const table = columnar(ctx);
      if (table === undefined) return resourceScore(scorer, ctx, nodes, podScoringRequests(scorer, ctx.pod));
      return columnarScores(table, ctx, nodes, Compute.BalancedScore, 'balancedScore');
    },
  };
}

/** NodePorts: PreFilter collects the pod's host ports (Skip without any); Filter rejects nodes where one is in use. */
export function nodePortsPlugin(): SchedulerPlugin {
  const portsKey = stateKey<readonly HostPort[]>('NodePorts/preFilter');
  return {
    name: NodePortsName,
    preFilter(ctx) {
      const s = nodePortsPreFilter(ctx.pod.hostPorts);
      if (s.code === Code.Success) ctx.state.write(portsKey, ctx.pod.hostPorts);
      return { status: s };
    },
    // As in kube, Filter without PreFilter's state is an Error, not a recomputation.
    filter: (ctx, nodes) => {
      const want = ctx.state.read(portsKey);
      return nodes.map((n) => nodePortsFilter(want, n.usedPorts));
    },
  };
}

/** ImageLocality: Score by the pod's images the node already holds, spread-scaled over the snapshot's nodes. No NormalizeScore. */
export function imageLocalityPlugin(): SchedulerPlugin {
  return {
    name: ImageLocalityName,
    score(ctx, nodes) {
      const images = ctx.pod.images;
      const imageNodes = ctx.snapshot.imageNodes;
      // No node holds any of the pod's images (the common case without status.images): all 0.
      if (!images.some((name) => imageNodes.has(name))) return { status: SUCCESS, scores: new Array<number>(nodes.length).fill(0) };
      const total = ctx.snapshot.nodes.length;
      // numContainers is init containers plus containers: one image each.
      return scoreEach(nodes, (n) => imageLocalityPriority(sumImageScores(images, n.node.images, imageNodes, total), images.length));
    },
  };
}

/** DefaultBinder: binds (in plugd's own cluster state, which the framework updates on Success). */
export function defaultBinderPlugin(): SchedulerPlugin {
  return { name: DefaultBinderName, bind: () => SUCCESS };
}

// ---------------------------------------------------------------- factories (args → plugin)

function noArgs(make: () => SchedulerPlugin): PluginFactory {
  return (args, path, errors) => {
    argsObject(args, path, [], errors);
    return make();
  };
}

const fitFactory: PluginFactory = (args, path, errors) => {
  const o = argsObject(args, path, ['ignoredResources', 'ignoredResourceGroups', 'scoringStrategy'], errors) ?? {};
  const before = errors.length;
  const ignoredResources = stringList(o['ignoredResources'], `${path}.ignoredResources`, errors);
  const ignoredResourceGroups = stringList(o['ignoredResourceGroups'], `${path}.ignoredResourceGroups`, errors);
  ignoredResourceGroups?.forEach((g, i) => {
    if (g.includes('/')) errors.push({ field: `${path}.ignoredResourceGroups[${i}]`, message: 'resource group name can\'t contain "/"' });
  });
  const input = scoringStrategyInput(o['scoringStrategy'], `${path}.scoringStrategy`, errors);
  if (errors.length > before) return undefined;
  const strategy = withScoringDefaults(input);
  const problems = validateScoringStrategy(strategy, `${path}.scoringStrategy`);
  errors.push(...problems);
  if (problems.length > 0) return undefined;
  return nodeResourcesFitPlugin({ ignoredResources, ignoredResourceGroups }, compileScoringStrategy(strategy));
};

const balancedFactory: PluginFactory = (args, path, errors) => {
  const o = argsObject(args, path, ['resources'], errors) ?? {};
  const before = errors.length;
  const resources = resourceSpecs(o['resources'], `${path}.resources`, errors);
  resources?.forEach((r, i) => {
    if (r.weight !== 0 && r.weight !== 1) errors.push({ field: `${path}.resources[${i}].weight`, message: `Invalid value: ${r.weight}: must be 1` });
  });
  if (errors.length > before) return undefined;
  return balancedAllocationPlugin(compileBalancedAllocation(resources));
};

const affinityFactory: PluginFactory = (args, path, errors) => {
  const o = argsObject(args, path, ['addedAffinity'], errors) ?? {};
  const addedPath = `${path}.addedAffinity`;
  const added = argsObject(
    o['addedAffinity'],
    addedPath,
    ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'],
    errors,
  );
  if (added === undefined) return nodeAffinityPlugin();
  let spec: NodeAffinitySpec;
  try {
    spec = {
      required: nodeSelectorFromJson(added['requiredDuringSchedulingIgnoredDuringExecution'], `${addedPath}.requiredDuringSchedulingIgnoredDuringExecution`),
      preferred: preferredTermsFromJson(added['preferredDuringSchedulingIgnoredDuringExecution'], `${addedPath}.preferredDuringSchedulingIgnoredDuringExecution`),
    };
  } catch (err) {
    if (!(err instanceof PodSpecError)) throw err;
    errors.push({ field: err.path, message: err.message.slice(err.path.length + 2) });
    return undefined;
  }
  const compiled = compileNodeAffinityArgs(spec);
  for (const e of compiled.errors) errors.push({ field: path, message: e });
  return compiled.errors.length > 0 ? undefined : nodeAffinityPlugin(compiled.args);
};

/** The built-in plugins by name. */
export const BUILTIN_PLUGINS: ReadonlyMap<string, PluginFactory> = new Map([
  [NodeUnschedulableName, noArgs(nodeUnschedulablePlugin)],
  [NodeNameName, noArgs(nodeNamePlugin)],
  [TaintTolerationName, noArgs(taintTolerationPlugin)],
  [NodeAffinityName, affinityFactory],
  [NodeResourcesFitName, fitFactory],
  [BalancedAllocationName, balancedFactory],
  [NodePortsName, noArgs(nodePortsPlugin)],
  [ImageLocalityName, noArgs(imageLocalityPlugin)],
  [DefaultBinderName, noArgs(defaultBinderPlugin)],
]);
