/**
 * gang-permit — coscheduling (all or nothing) as a scheduling plugin, after scheduler-plugins'
 * lightweight coscheduling: pods labelled with a pod group wait at Permit until min-available
 * members of the group have reached Permit, then all of them are allowed at once. The wait
 * timing out, or any member being unreserved, rejects the members still waiting.
 *
 *   pod-group.scheduling.sigs.k8s.io/name: <group>            (per namespace)
 *   pod-group.scheduling.sigs.k8s.io/min-available: "<n>"     (default 1)
 *
 *   plugd serve sample-plugins/gang-permit          (GANG_PERMIT_WAIT_MS: the wait, default 60000)
 *
 * The host holds a pod answered WAIT and calls WaitOnPermit, which this plugin answers when the
 * gang is complete (SUCCESS) or broken (UNSCHEDULABLE). No node state is needed: no snapshot.
 */
import { definePlugin } from '../../sdk/index.js';

export const GROUP_LABEL = 'pod-group.scheduling.sigs.k8s.io/name';
export const MIN_AVAILABLE_LABEL = 'pod-group.scheduling.sigs.k8s.io/min-available';

const WAIT_MS = Number(process.env.GANG_PERMIT_WAIT_MS ?? 60_000);

interface Verdict {
  code: 'SUCCESS' | 'UNSCHEDULABLE';
  reasons: string[];
}

/** One member's attempt (a scheduling cycle) held at Permit. */
interface Waiter {
  readonly group: Group;
  readonly pod: string;
  /** Set once decided; WaitOnPermit answers it at once if it arrives later. */
  verdict?: Verdict;
  /** The pending WaitOnPermit call, if it arrived before the verdict. */
  answer?: (v: Verdict) => void;
}

interface Group {
  readonly name: string;
  readonly min: number;
  /** Cycle ids of the members waiting undecided. */
  readonly waiting: Set<string>;
  /** Members let through (and not unreserved since): they count towards min-available, as running pods do. */
  readonly admitted: Set<string>;
}

const groups = new Map<string, Group>();
// cycle id → its member, from Permit until Unreserve (or until a granted WaitOnPermit answered).
const members = new Map<string, Waiter>();

interface PodLike {
  metadata?: { name?: string; namespace?: string; uid?: string; labels?: Record<string, string> };
}

function membership(podJson: Buffer): { key: string; pod: string; min: number } | { error: string } | undefined {
  const pod = JSON.parse(podJson.toString()) as PodLike;
  const labels = pod.metadata?.labels ?? {};
  const name = labels[GROUP_LABEL];
  if (name === undefined || name === '') return undefined;
  const ns = pod.metadata?.namespace ?? 'default';
  const raw = labels[MIN_AVAILABLE_LABEL] ?? '1';
  const min = Number(raw);
  if (!Number.isInteger(min) || min < 1) return { error: `label ${MIN_AVAILABLE_LABEL}: ${JSON.stringify(raw)} is not a positive integer` };
  return { key: `${ns}/${name}`, pod: `${ns}/${pod.metadata?.name ?? '?'}`, min };
}

function decide(w: Waiter, v: Verdict): void {
  if (w.verdict !== undefined) return;
  w.verdict = v;
  w.answer?.(v);
}

export default definePlugin({
  name: 'gang-permit',
  type: 'SchedulerPlugin',
  capabilities: { failurePolicy: 'FAIL' },
  handlers: {
    // Nothing to reserve per node: a member passing Reserve is what Unreserve undoes later.
    Reserve: () => ({}),

    Permit: (req) => {
      const m = membership(req.podJson);
      if (m === undefined) return {};
      if ('error' in m) return { status: { code: 'UNSCHEDULABLE', reasons: [m.error] } };
      let g = groups.get(m.key);
      if (g === undefined || g.min !== m.min) {
        g = { name: m.key, min: m.min, waiting: new Set(), admitted: new Set() };
        groups.set(m.key, g);
      }
      const self: Waiter = { group: g, pod: m.pod };
      members.set(req.cycleId, self);
      const arrived = new Set([...g.admitted, ...[...g.waiting].map((c) => members.get(c)?.pod), m.pod]);
      if (arrived.size < g.min) {
        g.waiting.add(req.cycleId);
        return { status: { code: 'WAIT', reasons: [`waiting for pod group ${g.name}: ${arrived.size} of ${g.min} members`] }, waitMs: WAIT_MS };
      }
      // The gang is complete: this member and every waiting one go on together.
      for (const c of g.waiting) {
        const w = members.get(c);
        if (w === undefined) continue;
        g.admitted.add(w.pod);
        decide(w, { code: 'SUCCESS', reasons: [] });
      }
      g.waiting.clear();
      g.admitted.add(m.pod);
      self.verdict = { code: 'SUCCESS', reasons: [] };
      return {};
    },

    WaitOnPermit: (req, ctx) => {
      const w = members.get(req.cycleId);
      if (w === undefined) return { status: { code: 'UNSCHEDULABLE', reasons: ['gang-permit: this pod is not waiting at Permit'] } };
      if (w.verdict !== undefined) return { status: w.verdict };
      return new Promise((resolve) => {
        w.answer = (v) => resolve({ status: v });
        // The host stopped waiting for the answer (the call's deadline passed).
        ctx.signal.addEventListener('abort', () => resolve({ status: { code: 'UNSCHEDULABLE', reasons: ['gang-permit: wait cancelled'] } }));
      });
    },

    Unreserve: (req) => {
      const self = members.get(req.cycleId);
      if (self === undefined) return {};
      members.delete(req.cycleId);
      const g = self.group;
      g.admitted.delete(self.pod);
      g.waiting.delete(req.cycleId);
      decide(self, { code: 'UNSCHEDULABLE', reasons: [`pod group ${g.name}: unreserved`] });
      // All or nothing: one member failing rejects the members still waiting.
      const reason = `pod group ${g.name}: member ${self.pod} was unreserved, rejecting the waiting members`;
      for (const c of g.waiting) {
        const w = members.get(c);
        if (w !== undefined) decide(w, { code: 'UNSCHEDULABLE', reasons: [reason] });
      }
      g.waiting.clear();
      if (g.admitted.size === 0 && groups.get(g.name) === g) groups.delete(g.name);
      return {};
    },

    // Bound: the member stays counted in its group (as a running pod); its cycle is over.
    PostBind: (req) => {
      members.delete(req.cycleId);
      return {};
    },
  },
});
