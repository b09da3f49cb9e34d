/**
 * Interface version negotiation, Kubernetes-style: v2 > v1 > v1beta2 > v1beta1 > v1alpha1.
 * The host picks the highest version present in both its own list and the plugin's.
 */

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STAGE = { alpha: 0, beta: 1, ga: 2 } as const;

/** Sort key of a version string; unparseable strings rank below every Kubernetes-style one. */
function rank(version: string): [number, number, number] {
  const m = KUBE_VERSION.exec(version);
  if (!m) return [-1, -1, -1];
  return [Number(m[1]), STAGE[(m[2] as 'alpha' | 'beta' | undefined) ?? 'ga'], Number(m[3] ?? 0)];
}

/** Negative when a < b, positive when a > b, 0 when they rank equal. */
export function compareVersions(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The highest version both sides support, or undefined when they share none. */
export function negotiate(hostVersions: readonly string[], pluginVersions: readonly string[]): string | undefined {
  const mine = new Set(hostVersions);
  let best: string | undefined;
  for (const v of pluginVersions) {
    if (mine.has(v) && (best === undefined || compareVersions(v, best) > 0)) best = v;
  }
  return best;
}

/** Highest first. */
export function sortVersionsDescending(versions: readonly string[]): string[] {
  return [...versions].sort((a, b) => compareVersions(b, a));
}
