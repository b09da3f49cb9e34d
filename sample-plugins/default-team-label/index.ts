/**
 * default-team-label — a mutating admission plugin. Objects created without a `team`
 * label get `team: unassigned`, so every workload can be traced to an owner; objects that
 * carry one pass untouched. The answer is an RFC 6902 JSONPatch.
 *
 *   plugd serve sample-plugins/default-team-label
 */
import { definePlugin } from '../../sdk/index.js';

interface ObjectMeta {
  metadata?: { labels?: Record<string, string> };
}

export default definePlugin({
  name: 'default-team-label',
  type: 'AdmissionPlugin',
  capabilities: {
    kind: 'MUTATING',
    rules: [{ operations: ['CREATE'], apiGroups: ['', 'apps'], apiVersions: ['v1'], resources: ['pods', 'deployments'], scope: '*' }],
    sideEffects: 'NONE',
    failurePolicy: 'IGNORE',
    timeoutMs: 2000,
  },
  handlers: {
    Admit: (req) => {
      const obj = JSON.parse(req.object.toString() || '{}') as ObjectMeta;
      if (obj.metadata?.labels?.team) return { allowed: true };
      const patch = obj.metadata?.labels
        ? [{ op: 'add', path: '/metadata/labels/team', value: 'unassigned' }]
        : [{ op: 'add', path: obj.metadata ? '/metadata/labels' : '/metadata', value: obj.metadata ? { team: 'unassigned' } : { labels: { team: 'unassigned' } } }];
      return { allowed: true, patch: Buffer.from(JSON.stringify(patch)), warnings: ['no team label: set team=unassigned'] };
    },
  },
});
