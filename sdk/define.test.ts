import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { definePlugin, isPluginDefinition, renamePlugin, type PluginSpec } from './define.js';
import { NodeSnapshot } from './scheduling.js';

const allow = () => ({ allowed: true });

/** A spec as an untyped caller (JavaScript, a config file) might pass it. */
const loose = (spec: Record<string, unknown>): PluginSpec => spec as unknown as PluginSpec;

const admission = (over: Record<string, unknown>): PluginSpec =>
  loose({ name: 'ok', type: 'AdmissionPlugin', handlers: { Admit: allow }, ...over });

describe('definePlugin refuses what the host would reject, naming the plugin and the fix', () => {
  const cases: Array<{ name: string; spec: PluginSpec; error: typeof TypeError | typeof RangeError; message: RegExp }> = [
    { name: 'a name with a space', spec: admission({ name: 'bad name' }), error: TypeError, message: /invalid name "bad name": must match/ },
    { name: 'an empty name', spec: admission({ name: '' }), error: TypeError, message: /invalid name ""/ },
    { name: 'a name starting with a dot', spec: admission({ name: '.hidden' }), error: TypeError, message: /invalid name "\.hidden"/ },
    { name: 'a name of 64 characters', spec: admission({ name: 'a'.repeat(64) }), error: TypeError, message: /invalid name/ },
    { name: 'a name that is not a string', spec: admission({ name: 42 }), error: TypeError, message: /invalid name 42/ },
    { name: 'an unknown type', spec: admission({ type: 'DevicePlugin' }), error: TypeError,
      message: /definePlugin\(ok\): unknown type "DevicePlugin"; known: SchedulerPlugin, AdmissionPlugin, NetworkPlugin/ },
    { name: 'an unknown hook, listing the hooks', spec: admission({ handlers: { Admit: allow, Mutate: allow } }), error: TypeError,
      message: /definePlugin\(ok\): AdmissionPlugin has no hook "Mutate"; hooks: Admit$/ },
    { name: 'a hook misspelt in case', spec: loose({ name: 'net', type: 'NetworkPlugin', handlers: { add: allow, Del: allow } }), error: TypeError,
      message: /NetworkPlugin has no hook "add"; hooks: Add, Del, Check, Status, GC, Version$/ },
    { name: 'GetCapabilities as a hook (the SDK answers it)', spec: admission({ handlers: { Admit: allow, GetCapabilities: allow } }), error: TypeError,
      message: /has no hook "GetCapabilities"/ },
    { name: 'a handler that is not a function', spec: admission({ handlers: { Admit: 'yes' } }), error: TypeError,
      message: /definePlugin\(ok\): handler Admit must be a function, got string/ },
    { name: 'no hooks at all', spec: admission({ handlers: {} }), error: TypeError,
      message: /definePlugin\(ok\): implements no hook; a AdmissionPlugin implements at least one of Admit/ },
    { name: 'only undefined hooks', spec: admission({ handlers: { Admit: undefined } }), error: TypeError, message: /implements no hook/ },
    { name: 'no handlers object', spec: admission({ handlers: undefined }), error: TypeError, message: /implements no hook/ },
    { name: 'handlers that are not an object', spec: admission({ handlers: 'Admit' }), error: TypeError, message: /handlers must be an object/ },
    { name: 'versions without a contract', spec: admission({ versions: ['v1beta1', 'v2'] }), error: RangeError,
      message: /definePlugin\(ok\): none of versions \[v1beta1, v2\] has a AdmissionPlugin contract; the SDK serves \[v1\]/ },
    { name: 'an empty versions list', spec: admission({ versions: [] }), error: TypeError, message: /versions must be a non-empty array of strings/ },
    { name: 'a versions entry that is not a string', spec: admission({ versions: ['v1', 1] }), error: TypeError, message: /versions must be a non-empty array/ },
    { name: 'a network plugin without Del', spec: loose({ name: 'net', type: 'NetworkPlugin', handlers: { Add: () => ({}) } }), error: TypeError,
      message: /definePlugin\(net\): NetworkPlugin must also implement Del/ },
    { name: 'a scheduler taking snapshots but no deltas', spec: loose({ name: 's', type: 'SchedulerPlugin', handlers: { SyncSnapshot: () => ({}), Filter: () => ({}) } }),
      error: TypeError, message: /SchedulerPlugin implementing SyncSnapshot must also implement ApplyDelta/ },
  ];

  it.each(cases)('refuses $name', ({ spec, error, message }) => {
    let thrown: unknown;
    try {
      definePlugin(spec);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(error);
    expect((thrown as Error).message).toMatch(message);
  });

  it('refuses something that is not an object', () => {
    expect(() => definePlugin(null as unknown as PluginSpec)).toThrow(new TypeError('definePlugin: expected an object'));
  });
});

describe('definePlugin detects the hooks a plugin implements', () => {
  const noop = () => ({});
  const cases: Array<{ name: string; spec: PluginSpec; implemented: string[] }> = [
    { name: 'one admission hook', spec: admission({}), implemented: ['Admit'] },
    { name: 'a subset of the scheduling hooks, in contract order', spec: loose({ name: 's', type: 'SchedulerPlugin',
      handlers: { Score: noop, ApplyDelta: noop, Filter: noop, SyncSnapshot: noop } }), implemented: ['SyncSnapshot', 'ApplyDelta', 'Filter', 'Score'] },
    { name: 'a scheduling hook that needs no node state', spec: loose({ name: 's', type: 'SchedulerPlugin', handlers: { PostBind: noop } }), implemented: ['PostBind'] },
    { name: 'network hooks, skipping undefined ones', spec: loose({ name: 'n', type: 'NetworkPlugin',
      handlers: { Add: noop, Del: noop, Check: undefined, Version: noop } }), implemented: ['Add', 'Del', 'Version'] },
  ];

  it.each(cases)('$name', ({ spec, implemented }) => {
    const def = definePlugin(spec);
    expect(def.implemented).toEqual(implemented);
    expect(Object.keys(def.handlers).sort()).toEqual([...implemented].sort());
  });

  it('finds the methods of a class instance and calls them with their `this`', async () => {
    class Labeler {
      readonly label = 'from-the-instance';
      Admit() {
        return { allowed: true, warnings: [this.label] };
      }
      helper() {
        return 'not a hook, and not refused: a class may have other members';
      }
    }
    const def = definePlugin({ name: 'cls', type: 'AdmissionPlugin', handlers: new Labeler() });
    expect(def.implemented).toEqual(['Admit']);
    const ctx = { plugin: 'cls', deadline: undefined, signal: new AbortController().signal, metadata: new grpc.Metadata() };
    expect(await def.handlers.Admit!({}, ctx)).toEqual({ allowed: true, warnings: ['from-the-instance'] });
  });

  it('returns a frozen definition with defaults filled in', () => {
    const def = definePlugin({ name: 'caps', type: 'AdmissionPlugin', capabilities: { kind: 'MUTATING', timeoutMs: 50 }, handlers: { Admit: allow } });
    expect(def).toMatchObject({ name: 'caps', type: 'AdmissionPlugin', versions: ['v1'], servedVersions: ['v1'], capabilities: { kind: 'MUTATING', timeoutMs: 50 } });
    expect(Object.isFrozen(def)).toBe(true);
    expect(isPluginDefinition(def)).toBe(true);
    expect(isPluginDefinition({ name: 'caps', implemented: ['Admit'] })).toBe(false);
  });

  it('advertises every version given but serves only those with a contract', () => {
    const def = definePlugin({ name: 'multi', type: 'AdmissionPlugin', versions: ['v1', 'v2'], handlers: { Admit: allow } });
    expect(def.versions).toEqual(['v1', 'v2']);
    expect(def.servedVersions).toEqual(['v1']);
  });

  it('renames a plugin, validating the new name', () => {
    const def = definePlugin({ name: 'orig', type: 'AdmissionPlugin', handlers: { Admit: allow } });
    expect(renamePlugin(def, 'copy')).toMatchObject({ name: 'copy', type: 'AdmissionPlugin', implemented: ['Admit'] });
    expect(() => renamePlugin(def, 'no way')).toThrow(/invalid name "no way"/);
  });
});

describe('inline snapshot deltas (scheduling v1)', () => {
  const ctx = {} as never;
  function plugin() {
    const nodes = new NodeSnapshot();
    const def = definePlugin({
      name: 'inline',
      type: 'SchedulerPlugin',
      handlers: {
        SyncSnapshot: (s) => nodes.sync(s),
        ApplyDelta: (d) => nodes.apply(d),
        Filter: (req) => ({ codes: Buffer.from([nodes.at(req.snapshotGeneration).length]) }),
      },
    });
    return { def, nodes };
  }
  const node = (index: number, name: string) => ({ index, name, labels: {}, taints: [], unschedulable: false, allocatable: {}, requested: {}, nonZeroRequested: {}, nodeJson: Buffer.alloc(0) });
  const filterReq = (generation: number, delta: unknown) => ({ snapshotGeneration: generation, podJson: Buffer.from('{}'), cycleId: 'c', candidates: Buffer.alloc(0), delta });

  it('advertises inline deltas and applies a delta carried in a per-pod call before the hook', async () => {
    const { def, nodes } = plugin();
    expect(def.capabilities['inlineDeltas']).toBe(true);
    const h = def.handlers as unknown as Record<string, (req: unknown, ctx: never) => unknown>;
    h['SyncSnapshot']!({ generation: 1, nodes: [node(0, 'a')], indexEnd: 1 }, ctx);
    const out = await h['Filter']!(filterReq(2, { fromGeneration: 1, toGeneration: 2, upserted: [node(1, 'b')], removed: [], indexEnd: 2 }), ctx);
    expect(nodes.generation).toBe(2);
    expect((out as { codes: Buffer }).codes[0]).toBe(2);
  });

  it('answers FAILED_PRECONDITION to a delta from a generation it does not hold, without running the hook', () => {
    const { def, nodes } = plugin();
    const h = def.handlers as unknown as Record<string, (req: unknown, ctx: never) => unknown>;
    h['SyncSnapshot']!({ generation: 5, nodes: [], indexEnd: 0 }, ctx);
    expect(() => h['Filter']!(filterReq(9, { fromGeneration: 7, toGeneration: 9, upserted: [], removed: [], indexEnd: 0 }), ctx))
      .toThrow(expect.objectContaining({ code: grpc.status.FAILED_PRECONDITION }));
    expect(nodes.generation).toBe(5);
  });
});
