/**
 * The Pod Security Standards "baseline" checks, as pure functions over a pod's metadata and
 * spec (plain JSON as kube-apiserver sends it). They follow the checks of
 * k8s.io/pod-security-admission/policy at the newest policy version (`baseline:latest`, which
 * upstream's tree now carries to v1.37): same controls, same allowed values, same order, and each result's
 * reason and detail worded as upstream's, so a message reads exactly like the built-in
 * PodSecurity admission's. Each violation also carries the full field path it comes from.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One failed control: upstream's ForbiddenReason and ForbiddenDetail, plus the offending fields. */
export interface Violation {
  /** Upstream's check id, e.g. "privileged". */
  check: string;
  /** e.g. "privileged". */
  reason: string;
  /** e.g. `container "nginx" must not set securityContext.privileged=true`. */
  detail: string;
  /** Each offending field with its value, e.g. `spec.containers[0].securityContext.privileged=true`. */
  fields: string[];
}

/** Where the pod's parts sit in the admitted object, as field paths (e.g. "spec.template.spec"). */
export interface PodPaths {
  metadata: string;
  spec: string;
}

/** What a check sees: the pod template's metadata and spec, already located. */
export interface PodView {
  metadata: JsonObject;
  spec: JsonObject;
  paths: PodPaths;
}

interface VisitedContainer {
  c: JsonObject;
  name: string;
  path: string;
}

const obj = (v: Json | undefined): JsonObject | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
const quote = (items: readonly string[]): string => (items.length === 0 ? '' : `"${items.join('", "')}"`);
const plural = (one: string, many: string, n: number): string => (n === 1 ? one : many);
const sorted = (s: Iterable<string>): string[] => [...new Set(s)].sort();
const containersPhrase = (names: readonly string[]): string => `${plural('container', 'containers', names.length)} ${quote(names)}`;
/** A value as a field error shows it: strings bare, everything else as JSON. */
const show = (v: Json | undefined): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));
/** Go's %q for the strings that occur here (annotation values). */
const goQuote = (s: string): string => JSON.stringify(s);

/** Init containers, then containers, then ephemeral containers: upstream's visitContainers order. */
function containers(view: PodView): VisitedContainer[] {
  const out: VisitedContainer[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    arr(view.spec[list]).forEach((v, i) => {
      const c = obj(v);
      if (c) out.push({ c, name: str(c.name), path: `${view.paths.spec}.${list}[${i}]` });
    });
  }
  return out;
}

const securityContext = (c: JsonObject): JsonObject | undefined => obj(c.securityContext);
const podSecurityContext = (view: PodView): JsonObject | undefined => obj(view.spec.securityContext);

type Check = (view: PodView) => Violation | undefined;

/**
 * Who set a bad value, as upstream words it: "pod", "containers "a", "b"", joined with " and ".
 * `podField` is the pod-level field (relative to spec.securityContext), `field` the container one.
 */
function settersOf(view: PodView, field: string, bad: (v: Json | undefined) => boolean, get: (sc: JsonObject) => Json | undefined) {
  const setters: string[] = [];
  const values: string[] = [];
  const fields: string[] = [];
  const psc = podSecurityContext(view);
  const podValue = psc ? get(psc) : undefined;
  if (psc && podValue !== undefined && bad(podValue)) {
    setters.push('pod');
    values.push(show(podValue));
    fields.push(`${view.paths.spec}.securityContext.${field}=${show(podValue)}`);
  }
  const names: string[] = [];
  for (const { c, name, path } of containers(view)) {
    const sc = securityContext(c);
    const v = sc ? get(sc) : undefined;
    if (sc && v !== undefined && bad(v)) {
      names.push(name);
      values.push(show(v));
      fields.push(`${path}.securityContext.${field}=${show(v)}`);
    }
  }
  if (names.length > 0) setters.push(containersPhrase(names));
  return { setters, values, fields };
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const APPARMOR_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** AppArmor: the appArmorProfile fields may only be RuntimeDefault or Localhost; the beta annotations runtime/default or localhost/*. */
const appArmorProfile: Check = (view) => {
  const { setters, values, fields } = settersOf(view, 'appArmorProfile.type', (t) => !APPARMOR_TYPES.has(str(t)),
    (sc) => (obj(sc.appArmorProfile) ? (obj(sc.appArmorProfile)!.type ?? '') : undefined));
  const annotations: string[] = [];
  for (const [k, v] of Object.entries(obj(view.metadata.annotations) ?? {})) {
    const value = str(v);
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(value === '' || value === 'runtime/default' || value.startsWith('localhost/'))) {
      annotations.push(`${k}=${goQuote(value)}`);
      fields.push(`${view.paths.metadata}.annotations[${k}]=${value}`);
    }
  }
  const badValues = [...sorted(values), ...annotations.sort()];
  if (annotations.length > 0) setters.push(plural('annotation', 'annotations', annotations.length));
  if (setters.length === 0) return undefined;
  return {
    check: 'appArmorProfile',
    reason: plural('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValues.length),
    detail: `${setters.join(' and ')} must not set AppArmor profile type to ${quote(badValues)}`,
    fields,
  };
};

/** Host namespaces: hostNetwork, hostPID and hostIPC must be unset or false. */
const hostNamespaces: Check = (view) => {
  const set = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => view.spec[k] === true);
  if (set.length === 0) return undefined;
  return {
    check: 'hostNamespaces',
    reason: 'host namespaces',
    detail: set.map((k) => `${k}=true`).join(', '),
    fields: set.map((k) => `${view.paths.spec}.${k}=true`),
  };
};

/** Host ports: every containerPort's hostPort must be unset or 0. */
const hostPorts: Check = (view) => {
  const names: string[] = [];
  const ports: string[] = [];
  const fields: string[] = [];
  for (const { c, name, path } of containers(view)) {
    let bad = false;
    arr(c.ports).forEach((p, i) => {
      const hostPort = obj(p)?.hostPort;
      if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
        bad = true;
        ports.push(show(hostPort));
        fields.push(`${path}.ports[${i}].hostPort=${show(hostPort)}`);
      }
    });
    if (bad) names.push(name);
  }
  if (names.length === 0) return undefined;
  // Upstream sorts the ports as strings (a sets.String), so "10000" comes before "9000".
  const list = sorted(ports);
  return {
    check: 'hostPorts',
    reason: 'hostPort',
    detail: `${containersPhrase(names)} ${plural('uses', 'use', names.length)} ${plural('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
    fields,
  };
};

/** Host probes and lifecycle hooks (policy v1.34+): httpGet.host and tcpSocket.host must be empty. */
const hostProbesAndHostLifecycle: Check = (view) => {
  const names = new Set<string>();
  const hosts: string[] = [];
  const fields: string[] = [];
  for (const { c, name, path } of containers(view)) {
    const handlers: Array<[string, JsonObject | undefined]> = [
      ['livenessProbe', obj(c.livenessProbe)], ['readinessProbe', obj(c.readinessProbe)], ['startupProbe', obj(c.startupProbe)],
      ['lifecycle.postStart', obj(obj(c.lifecycle)?.postStart)], ['lifecycle.preStop', obj(obj(c.lifecycle)?.preStop)],
    ];
    for (const [where, handler] of handlers) {
      for (const action of ['httpGet', 'tcpSocket']) {
        const host = str(obj(handler?.[action])?.host);
        if (host === '') continue;
        names.add(name);
        hosts.push(host);
        fields.push(`${path}.${where}.${action}.host=${host}`);
      }
    }
  }
  if (names.size === 0) return undefined;
  const list = sorted(hosts);
  return {
    check: 'hostProbesAndHostLifecycle',
    reason: 'probe or lifecycle host',
    detail: `${containersPhrase(sorted(names))} ${plural('uses', 'use', names.size)} ${plural('probe or lifecycle host', 'probe or lifecycle hosts', list.length)} ${quote(list)}`,
    fields,
  };
};

/** Privileged containers: securityContext.privileged must be unset or false. */
const privileged: Check = (view) => {
  const bad = containers(view).filter(({ c }) => securityContext(c)?.privileged === true);
  if (bad.length === 0) return undefined;
  return {
    check: 'privileged',
    reason: 'privileged',
    detail: `${containersPhrase(bad.map((b) => b.name))} must not set securityContext.privileged=true`,
    fields: bad.map((b) => `${b.path}.securityContext.privileged=true`),
  };
};

/** /proc mount type: unset or Default; relaxed for pods in a user namespace (hostUsers: false, policy v1.35). */
const procMount: Check = (view) => {
  if (view.spec.hostUsers === false) return undefined;
  const bad = containers(view).filter(({ c }) => {
    const pm = securityContext(c)?.procMount;
    return pm !== undefined && pm !== null && pm !== 'Default';
  });
  if (bad.length === 0) return undefined;
  const types = bad.map((b) => show(securityContext(b.c)!.procMount));
  return {
    check: 'procMount',
    reason: 'procMount',
    detail: `${containersPhrase(bad.map((b) => b.name))} must not set securityContext.procMount to ${quote(sorted(types))}`,
    fields: bad.map((b, i) => `${b.path}.securityContext.procMount=${types[i]}`),
  };
};

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** SELinux: type limited to the container types (container_engine_t since v1.31); user and role must be unset. */
const seLinuxOptions: Check = (view) => {
  const setters: string[] = [];
  const types: string[] = [];
  const fields: string[] = [];
  let user = false;
  let role = false;
  const valid = (opts: JsonObject, at: string): boolean => {
    let ok = true;
    const type = str(opts.type);
    if (!SELINUX_TYPES.has(type)) {
      ok = false;
      types.push(type);
      fields.push(`${at}.type=${type}`);
    }
    if (str(opts.user) !== '') {
      ok = false;
      user = true;
      fields.push(`${at}.user=${str(opts.user)}`);
    }
    if (str(opts.role) !== '') {
      ok = false;
      role = true;
      fields.push(`${at}.role=${str(opts.role)}`);
    }
    return ok;
  };
  const podOpts = obj(podSecurityContext(view)?.seLinuxOptions);
  if (podOpts && !valid(podOpts, `${view.paths.spec}.securityContext.seLinuxOptions`)) setters.push('pod');
  const names: string[] = [];
  for (const { c, name, path } of containers(view)) {
    const opts = obj(securityContext(c)?.seLinuxOptions);
    if (opts && !valid(opts, `${path}.securityContext.seLinuxOptions`)) names.push(name);
  }
  if (names.length > 0) setters.push(containersPhrase(names));
  if (setters.length === 0) return undefined;
  const data: string[] = [];
  const typeList = sorted(types);
  if (typeList.length > 0) data.push(`${plural('type', 'types', typeList.length)} ${quote(typeList)}`);
  if (user) data.push('user may not be set');
  if (role) data.push('role may not be set');
  return {
    check: 'seLinuxOptions',
    reason: 'seLinuxOptions',
    detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
    fields,
  };
};

const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** Seccomp (policy v1.19+): seccompProfile.type, pod or container, must be unset, RuntimeDefault or Localhost. */
const seccompProfile: Check = (view) => {
  const { setters, values, fields } = settersOf(view, 'seccompProfile.type', (t) => !SECCOMP_TYPES.has(str(t)),
    (sc) => (obj(sc.seccompProfile) ? (obj(sc.seccompProfile)!.type ?? '') : undefined));
  if (setters.length === 0) return undefined;
  return {
    check: 'seccompProfile_baseline',
    reason: 'seccompProfile',
    detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${quote(sorted(values))}`,
    fields,
  };
};

/**
 * The safe sysctls: upstream's newest allowed set (v1.32 added tcp_rmem and tcp_wmem; v1.37
 * adds tcp_slow_start_after_idle and tcp_notsent_lowat), the same list as the kubelet's safe set.
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

/** Sysctls: spec.securityContext.sysctls[*].name must be in the safe set. */
const sysctls: Check = (view) => {
  const names: string[] = [];
  const fields: string[] = [];
  arr(podSecurityContext(view)?.sysctls).forEach((s, i) => {
    const name = str(obj(s)?.name);
    if (SAFE_SYSCTLS.has(name)) return;
    names.push(name);
    fields.push(`${view.paths.spec}.securityContext.sysctls[${i}].name=${name}`);
  });
  if (names.length === 0) return undefined;
  return { check: 'sysctls', reason: 'forbidden sysctls', detail: names.join(', '), fields };
};

/** Ulimits (policy v1.37): securityContext.ulimits must be unset in every container. */
const ulimits: Check = (view) => {
  const bad = containers(view).filter(({ c }) => {
    const u = securityContext(c)?.ulimits;
    return u !== undefined && u !== null;
  });
  if (bad.length === 0) return undefined;
  return {
    check: 'ulimits',
    reason: 'ulimits',
    detail: `${containersPhrase(bad.map((b) => b.name))} must not set securityContext.ulimits`,
    fields: bad.map((b) => `${b.path}.securityContext.ulimits=${show(securityContext(b.c)!.ulimits)}`),
  };
};

/** HostProcess: windowsOptions.hostProcess, pod or container, must be unset or false. */
const windowsHostProcess: Check = (view) => {
  const { setters, fields } = settersOf(view, 'windowsOptions.hostProcess', (v) => v === true, (sc) => obj(sc.windowsOptions)?.hostProcess);
  if (setters.length === 0) return undefined;
  return {
    check: 'windowsHostProcess',
    reason: 'hostProcess',
    detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
    fields,
  };
};

/** The capabilities a baseline container may add: the container runtimes' default set, without NET_RAW. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** Capabilities: securityContext.capabilities.add only from BASELINE_CAPABILITIES. */
const capabilities: Check = (view) => {
  const names: string[] = [];
  const caps: string[] = [];
  const fields: string[] = [];
  for (const { c, name, path } of containers(view)) {
    let bad = false;
    arr(obj(securityContext(c)?.capabilities)?.add).forEach((cap, i) => {
      if (BASELINE_CAPABILITIES.has(str(cap))) return;
      bad = true;
      caps.push(show(cap));
      fields.push(`${path}.securityContext.capabilities.add[${i}]=${show(cap)}`);
    });
    if (bad) names.push(name);
  }
  if (names.length === 0) return undefined;
  return {
    check: 'capabilities_baseline',
    reason: 'non-default capabilities',
    detail: `${containersPhrase(names)} must not include ${quote(sorted(caps))} in securityContext.capabilities.add`,
    fields,
  };
};

/** HostPath volumes: spec.volumes[*].hostPath must be unset. */
const hostPathVolumes: Check = (view) => {
  const names: string[] = [];
  const fields: string[] = [];
  arr(view.spec.volumes).forEach((v, i) => {
    const volume = obj(v);
    const hostPath = volume?.hostPath;
    if (hostPath === undefined || hostPath === null) return;
    names.push(str(volume!.name));
    fields.push(`${view.paths.spec}.volumes[${i}].hostPath.path=${str(obj(hostPath)?.path)}`);
  });
  if (names.length === 0) return undefined;
  return { check: 'hostPathVolumes', reason: 'hostPath volumes', detail: `${plural('volume', 'volumes', names.length)} ${quote(names)}`, fields };
};

/**
 * Upstream's evaluation order: registry.go's populate sorts the baseline check IDs (Go string
 * order, so "seLinuxOptions" before "seccompProfile_baseline") "to maintain consistent error
 * messages". Keep this list sorted by each check's `check` id.
 */
const CHECKS: readonly Check[] = [
  appArmorProfile, capabilities, hostNamespaces, hostPathVolumes, hostPorts, hostProbesAndHostLifecycle,
  privileged, procMount, seLinuxOptions, seccompProfile, sysctls, ulimits, windowsHostProcess,
];

/** Every baseline violation of the pod, in upstream's order; empty when the pod passes. */
export function checkBaseline(view: PodView): Violation[] {
  const out: Violation[] = [];
  for (const check of CHECKS) {
    const v = check(view);
    if (v) out.push(v);
  }
  return out;
}

/** Upstream's AggregateCheckResult.ForbiddenDetail: `reason (detail), reason (detail)`. */
export function forbiddenDetail(violations: readonly Violation[]): string {
  return violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ');
}
