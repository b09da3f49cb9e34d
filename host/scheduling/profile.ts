/**
 * Scheduling profiles in the shape of KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1):
 * kube's default plugin set (restricted to the built-ins plugd has), mergePluginSet's merge of a
 * user's enabled/disabled lists over it, MultiPoint expansion, score weights and pluginConfig
 * args. The whole document is validated before anything runs; every problem names its path.
 */
import type { FieldError } from './builtins/fit.js';
import {
  EXTENSION_POINTS,
  implementsPoint,
  type BindPlugin,
  type ExtensionPoint,
  type FilterPlugin,
  type PermitPlugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type Profile,
  type ReservePlugin,
  type SchedulerPlugin,
  type ScorePlugin,
  type WeightedScorePlugin,
} from './framework.js';
import {
  BalancedAllocationName,
  BUILTIN_PLUGINS,
  DefaultBinderName,
  NodeAffinityName,
  NodeNameName,
  NodePortsName,
  NodeResourcesFitName,
  NodeUnschedulableName,
  TaintTolerationName,
} from './plugins.js';

export const SchedulerConfigAPIVersion = 'kubescheduler.config.k8s.io/v1';
export const SchedulerConfigKind = 'KubeSchedulerConfiguration';
export const DefaultSchedulerName = 'default-scheduler';

/** A dynamic plugin by name (given its pluginConfig args), or undefined when there is none of that name. */
export type PluginResolver = (name: string, args: unknown) => SchedulerPlugin | undefined;

export interface ProfileOptions {
  /** Consulted for names that are not built-ins; without it, unknown names are errors. */
  readonly resolve?: PluginResolver | undefined;
}

/** An invalid scheduler configuration: every problem found, each with its path. */
export class ProfileError extends Error {
  readonly code = 'PLUGD_ERR_PROFILE_INVALID' as const;
  readonly errors: readonly FieldError[];
  constructor(errors: readonly FieldError[]) {
    super(`invalid scheduler configuration: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'ProfileError';
    this.errors = errors;
  }
}

export interface SchedulerConfiguration {
  readonly percentageOfNodesToScore: number;
  readonly profiles: readonly Profile[];
}

interface PluginEntry {
  readonly name: string;
  readonly weight: number;
  /** Where the entry came from: its config path, or "(default)". */
  readonly path: string;
}

interface PluginSet {
  readonly enabled: readonly PluginEntry[];
  readonly disabled: readonly string[];
}

const CONFIG_POINTS = ['multiPoint', 'queueSort', 'preEnqueue', ...EXTENSION_POINTS.map((e) => e.point)] as const;
type ConfigPoint = (typeof CONFIG_POINTS)[number];
// Points kube has and plugd does not run yet: naming a plugin there is refused, not ignored.
const UNSUPPORTED_POINTS: ReadonlySet<string> = new Set(['queueSort', 'preEnqueue']);

/**
 * kube's getDefaultPlugins (all MultiPoint), restricted to the built-ins plugd has, with kube's
 * weights. ImageLocality (kube: Score, weight 1) is left out: scoring 0 on nodes without
 * status.images, it would still count in the extender door's 0..10 scaling and flatten its
 * priorities. Enable it by name.
 */
export const DEFAULT_PLUGINS: readonly { readonly name: string; readonly weight: number }[] = Object.freeze([
  { name: NodeUnschedulableName, weight: 0 },
  { name: NodeNameName, weight: 0 },
  { name: TaintTolerationName, weight: 3 },
  { name: NodeAffinityName, weight: 2 },
  { name: NodePortsName, weight: 0 },
  { name: NodeResourcesFitName, weight: 1 },
  { name: BalancedAllocationName, weight: 1 },
  { name: DefaultBinderName, weight: 0 },
]);

// KubeSchedulerConfiguration fields plugd accepts and does not use (client, leader election, backoff…).
const IGNORED_TOP_LEVEL = new Set([
  'parallelism', 'leaderElection', 'clientConnection', 'healthzBindAddress', 'metricsBindAddress', 'enableProfiling',
  'enableContentionProfiling', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'delayCacheUntilActive', 'featureGates',
]);

type JsonObject = { readonly [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Reader {
  readonly errors: FieldError[] = [];
  error(field: string, message: string): void {
    this.errors.push({ field, message });
  }
  object(v: unknown, path: string, allowed: readonly string[] | undefined): JsonObject | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) {
      this.error(path, 'expected an object');
      return undefined;
    }
    if (allowed !== undefined) for (const k of Object.keys(v)) if (!allowed.includes(k)) this.error(path === '' ? k : `${path}.${k}`, 'unknown field');
    return v;
  }
  list(v: unknown, path: string): readonly unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.error(path, 'expected a list');
      return [];
    }
    return v;
  }
  percentage(v: unknown, path: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) {
      this.error(path, `Invalid value: ${JSON.stringify(v)}: not in valid range [0-100]`);
      return undefined;
    }
    return v;
  }
}

function readPluginSet(r: Reader, v: unknown, path: string): PluginSet {
  const o = r.object(v, path, ['enabled', 'disabled']) ?? {};
  const enabled = r.list(o['enabled'], `${path}.enabled`).map((raw, i): PluginEntry => {
    const at = `${path}.enabled[${i}]`;
    const p = r.object(raw, at, ['name', 'weight']) ?? {};
    const name = p['name'];
    if (typeof name !== 'string' || name.length === 0) r.error(`${at}.name`, 'Required value: a plugin name');
    const weight = p['weight'] ?? 0;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 0x7fffffff) {
      r.error(`${at}.weight`, `Invalid value: ${JSON.stringify(weight)}: must be a non-negative int32`);
    }
    return { name: typeof name === 'string' ? name : '', weight: typeof weight === 'number' ? weight : 0, path: at };
  });
  const disabled = r.list(o['disabled'], `${path}.disabled`).map((raw, i) => {
    const at = `${path}.disabled[${i}]`;
    const p = r.object(raw, at, ['name']) ?? {};
    const name = p['name'];
    if (typeof name !== 'string' || name.length === 0) r.error(`${at}.name`, 'Required value: a plugin name or "*"');
    return typeof name === 'string' ? name : '';
  });
  return { enabled, disabled };
}

/** v1 defaults.go mergePluginSet: defaults minus disabled ("*" = all), custom entries replacing defaults in place, then appended. */
function mergePluginSet(defaults: PluginSet, custom: PluginSet | undefined): PluginSet {
  if (custom === undefined) return defaults;
  const disabled = [...custom.disabled, ...defaults.disabled];
  const disabledSet = new Set(disabled);
  const customByName = new Map<string, number>();
  custom.enabled.forEach((p, i) => customByName.set(p.name, i));
  const replaced = new Set<number>();
  const enabled: PluginEntry[] = [];
  if (!disabledSet.has('*')) {
    for (const d of defaults.enabled) {
      if (disabledSet.has(d.name)) continue;
      const i = customByName.get(d.name);
      if (i !== undefined) {
        replaced.add(i);
        enabled.push(custom.enabled[i] as PluginEntry);
      } else enabled.push(d);
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled };
}

const EMPTY_SET: PluginSet = { enabled: [], disabled: [] };

function defaultSets(): Map<ConfigPoint, PluginSet> {
  const sets = new Map<ConfigPoint, PluginSet>(CONFIG_POINTS.map((p) => [p, EMPTY_SET]));
  sets.set('multiPoint', { enabled: DEFAULT_PLUGINS.map((p) => ({ ...p, path: '(default)' })), disabled: [] });
  return sets;
}

interface RawProfile {
  readonly path: string;
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly sets: ReadonlyMap<ConfigPoint, PluginSet>;
  readonly pluginConfig: ReadonlyMap<string, { readonly args: unknown; readonly path: string }>;
}

function readProfile(r: Reader, v: unknown, path: string): RawProfile {
  const o = r.object(v, path, ['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig']) ?? {};
  const name = o['schedulerName'] ?? DefaultSchedulerName;
  if (typeof name !== 'string' || name.length === 0) r.error(`${path}.schedulerName`, 'Required value');
  const plugins = r.object(o['plugins'], `${path}.plugins`, CONFIG_POINTS) ?? {};
  const sets = defaultSets();
  for (const point of CONFIG_POINTS) {
    if (plugins[point] === undefined) continue;
    const custom = readPluginSet(r, plugins[point], `${path}.plugins.${point}`);
    if (UNSUPPORTED_POINTS.has(point) && custom.enabled.length > 0) {
      r.error(`${path}.plugins.${point}.enabled`, `the ${point} extension point is not supported by plugd yet`);
    }
    sets.set(point, mergePluginSet(sets.get(point) ?? EMPTY_SET, custom));
  }
  const pluginConfig = new Map<string, { args: unknown; path: string }>();
  r.list(o['pluginConfig'], `${path}.pluginConfig`).forEach((raw, i) => {
    const at = `${path}.pluginConfig[${i}]`;
    const pc = r.object(raw, at, ['name', 'args']) ?? {};
    const pname = pc['name'];
    if (typeof pname !== 'string' || pname.length === 0) r.error(`${at}.name`, 'Required value');
    else if (pluginConfig.has(pname)) r.error(`${at}.name`, `Duplicate value: ${JSON.stringify(pname)}`);
    else pluginConfig.set(pname, { args: pc['args'], path: `${at}.args` });
  });
  return {
    path,
    schedulerName: typeof name === 'string' ? name : '',
    percentageOfNodesToScore: r.percentage(o['percentageOfNodesToScore'], `${path}.percentageOfNodesToScore`),
    sets,
    pluginConfig,
  };
}

/** Instantiates the plugins a profile needs and builds its typed lists (kube's NewFramework). */
function compileProfile(r: Reader, raw: RawProfile, globalPercentage: number, opts: ProfileOptions): Profile | undefined {
  const before = r.errors.length;
  const instances = new Map<string, SchedulerPlugin>();
  for (const set of raw.sets.values()) {
    for (const entry of set.enabled) {
      if (entry.name.length === 0 || instances.has(entry.name)) continue;
      const config = raw.pluginConfig.get(entry.name);
      const args = config?.args;
      const argsPath = config?.path ?? `${raw.path}.pluginConfig[${JSON.stringify(entry.name)}].args`;
      const factory = BUILTIN_PLUGINS.get(entry.name);
      let plugin: SchedulerPlugin | undefined;
      if (factory !== undefined) plugin = factory(args, argsPath, r.errors);
      else {
        plugin = opts.resolve?.(entry.name, args);
        if (plugin === undefined) {
          r.error(`${entry.path}.name`, `Unsupported value: ${JSON.stringify(entry.name)}: no built-in or dynamic plugin of that name`);
        } else if (!EXTENSION_POINTS.some((e) => implementsPoint(plugin as SchedulerPlugin, e.point))) {
          r.error(`${entry.path}.name`, `plugin ${JSON.stringify(entry.name)} implements no extension point`);
          plugin = undefined;
        }
      }
      if (plugin !== undefined) instances.set(entry.name, plugin);
    }
  }
  if (r.errors.length > before) return undefined;

  const lists = new Map<ExtensionPoint, SchedulerPlugin[]>();
  const multi = raw.sets.get('multiPoint') ?? EMPTY_SET;
  for (const { point, kind } of EXTENSION_POINTS) {
    const set = raw.sets.get(point) ?? EMPTY_SET;
    const at = `${raw.path}.plugins.${point}`;
    // updatePluginList: explicit entries, each implementing the point, no duplicates.
    const explicit: string[] = [];
    for (const e of set.enabled) {
      const pl = instances.get(e.name);
      if (pl === undefined) continue;
      if (!implementsPoint(pl, point)) r.error(`${e.path}.name`, `plugin ${JSON.stringify(e.name)} does not extend ${kind}`);
      else if (explicit.includes(e.name)) r.error(`${e.path}.name`, `plugin ${JSON.stringify(e.name)} already registered as ${JSON.stringify(kind)}`);
      else explicit.push(e.name);
    }
    // expandMultiPointPlugins: overrides keep their explicit place first, then MultiPoint ones, then the rest.
    const disabled = new Set(set.disabled);
    const fromMulti: string[] = [];
    const overrides = new Set<string>();
    if (!disabled.has('*')) {
      for (const e of multi.enabled) {
        const pl = instances.get(e.name);
        if (pl === undefined || !implementsPoint(pl, point) || disabled.has(e.name)) continue;
        if (explicit.includes(e.name)) overrides.add(e.name);
        else if (fromMulti.includes(e.name)) r.error(`${e.path}.name`, `plugin ${JSON.stringify(e.name)} already registered as ${JSON.stringify(kind)} (at ${at})`);
        else fromMulti.push(e.name);
      }
    }
    const order = [...explicit.filter((n) => overrides.has(n)), ...fromMulti, ...explicit.filter((n) => !overrides.has(n))];
    lists.set(point, order.map((n) => instances.get(n) as SchedulerPlugin));
  }
  if (r.errors.length > before) return undefined;

  // Weights: MultiPoint's first, then the Score point's own; 0 means 1.
  const weights = new Map<string, number>();
  for (const e of multi.enabled) weights.set(e.name, e.weight);
  for (const e of (raw.sets.get('score') ?? EMPTY_SET).enabled) weights.set(e.name, e.weight);
  // Unconfigured (0): the plugin's own defaultWeight, read per cycle (a dynamic plugin's instance may change).
  const score: WeightedScorePlugin[] = (lists.get('score') ?? []).map((pl) => {
    const plugin = pl as ScorePlugin;
    const configured = weights.get(pl.name) ?? 0;
    if (configured !== 0) return { plugin, weight: configured };
    return {
      plugin,
      get weight(): number {
        const own = plugin.defaultWeight ?? 0;
        return own > 0 ? own : 1;
      },
    };
  });

  const get = <T>(p: ExtensionPoint): T[] => (lists.get(p) ?? []) as unknown as T[];
  return Object.freeze({
    schedulerName: raw.schedulerName,
    percentageOfNodesToScore: raw.percentageOfNodesToScore ?? globalPercentage,
    preFilter: get<PreFilterPlugin>('preFilter'),
    filter: get<FilterPlugin>('filter'),
    postFilter: get<PostFilterPlugin>('postFilter'),
    preScore: get<PreScorePlugin>('preScore'),
    score,
    reserve: get<ReservePlugin>('reserve'),
    permit: get<PermitPlugin>('permit'),
    preBind: get<PreBindPlugin>('preBind'),
    bind: get<BindPlugin>('bind'),
    postBind: get<PostBindPlugin>('postBind'),
  });
}

/**
 * Parses and validates a KubeSchedulerConfiguration document (already decoded from JSON).
 * No profiles means one default profile named default-scheduler. Throws ProfileError listing
 * every problem.
 */
export function loadSchedulerConfiguration(doc: unknown, opts: ProfileOptions = {}): SchedulerConfiguration {
  const r = new Reader();
  const allowed = ['apiVersion', 'kind', 'percentageOfNodesToScore', 'profiles', 'extenders', ...IGNORED_TOP_LEVEL];
  const o = r.object(doc, '', allowed);
  if (o === undefined) throw new ProfileError([{ field: '(document)', message: 'expected a KubeSchedulerConfiguration object' }]);
  if (o['apiVersion'] !== SchedulerConfigAPIVersion) {
    r.error('apiVersion', `Unsupported value: ${JSON.stringify(o['apiVersion'] ?? null)}: supported values: "${SchedulerConfigAPIVersion}"`);
  }
  if (o['kind'] !== SchedulerConfigKind) r.error('kind', `Unsupported value: ${JSON.stringify(o['kind'] ?? null)}: want "${SchedulerConfigKind}"`);
  if (r.list(o['extenders'], 'extenders').length > 0) r.error('extenders', 'extenders are not supported by plugd yet');
  const percentage = r.percentage(o['percentageOfNodesToScore'], 'percentageOfNodesToScore') ?? 0;
  const rawProfiles = r.list(o['profiles'], 'profiles').map((p, i) => readProfile(r, p, `profiles[${i}]`));
  if (rawProfiles.length === 0) rawProfiles.push({ path: 'profiles[0]', schedulerName: DefaultSchedulerName, percentageOfNodesToScore: undefined, sets: defaultSets(), pluginConfig: new Map() });
  const seen = new Set<string>();
  for (const p of rawProfiles) {
    if (seen.has(p.schedulerName)) r.error(`${p.path}.schedulerName`, `Duplicate value: ${JSON.stringify(p.schedulerName)}`);
    seen.add(p.schedulerName);
  }
  // Compile every profile even after errors, so one run reports all of them.
  const profiles = rawProfiles.map((p) => compileProfile(r, p, percentage, opts));
  if (r.errors.length > 0) throw new ProfileError(r.errors);
  return { percentageOfNodesToScore: percentage, profiles: profiles as Profile[] };
}

/** kube's default profile over the built-ins plugd has (default-scheduler). */
export function defaultProfile(opts: ProfileOptions = {}): Profile {
  return loadSchedulerConfiguration({ apiVersion: SchedulerConfigAPIVersion, kind: SchedulerConfigKind }, opts).profiles[0] as Profile;
}
