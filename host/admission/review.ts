/**
 * The AdmissionReview v1 wire shapes (admission.k8s.io/v1) and their strict decoding: what
 * kube-apiserver sends a webhook and what it accepts back. The webhook door and the library
 * API both decode requests here, so a body the door answers 400 is one the library refuses too.
 */
import { ErrorCodes, PlugdError } from '../errors.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const ADMISSION_REVIEW_KIND = 'AdmissionReview';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/**
 * What kube-apiserver sends (admission.Operation); any other non-empty string is taken too, as
 * Go webhooks decode it: a rule matches it only through `*`.
 */
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | (string & {});
export const OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

/** authentication/v1 UserInfo. */
export interface UserInfo {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** AdmissionReview v1 `request`, with its objects already parsed. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  readonly resource: GroupVersionResource;
  readonly subResource?: string;
  readonly requestKind?: GroupVersionKind;
  readonly requestResource?: GroupVersionResource;
  readonly requestSubResource?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly operation: Operation;
  readonly userInfo: UserInfo;
  /** The new object (CREATE, UPDATE), the connect options (CONNECT); null on DELETE. */
  readonly object?: JsonObject | null;
  /** The existing object (UPDATE, DELETE). */
  readonly oldObject?: JsonObject | null;
  readonly dryRun?: boolean;
  /** CreateOptions, UpdateOptions, DeleteOptions, … */
  readonly options?: JsonObject | null;
}

/** metav1.Status as an AdmissionResponse carries it. */
export interface AdmissionStatus {
  readonly code: number;
  readonly message: string;
  /** A metav1.StatusReason, e.g. "Forbidden", "BadRequest", "InternalError". */
  readonly reason: string;
}

/** AdmissionReview v1 `response` as kube-apiserver checks it: patch and patchType together or not at all. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { status: 'Failure'; code: number; message: string; reason: string };
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: typeof ADMISSION_REVIEW_KIND;
  response: AdmissionResponse;
}

/** A request that is not an AdmissionReview v1 kube-apiserver would send; `field` names the culprit. */
export class AdmissionRequestError extends PlugdError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(ErrorCodes.ADMISSION_REQUEST_INVALID, message);
    this.name = 'AdmissionRequestError';
    this.field = field;
  }
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function fail(field: string, want: string, got: unknown): never {
  throw new AdmissionRequestError(field, `${field}: expected ${want}, got ${describe(got)}`);
}

function optString(o: JsonObject, key: string, at: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`${at}.${key}`, 'a string', v);
  return v;
}

function gvk(v: unknown, field: string): GroupVersionKind {
  if (!isJsonObject(v)) fail(field, 'an object {group, version, kind}', v);
  const version = optString(v, 'version', field);
  const kind = optString(v, 'kind', field);
  if (!version) fail(`${field}.version`, 'a non-empty string', v.version);
  if (!kind) fail(`${field}.kind`, 'a non-empty string', v.kind);
  return { group: optString(v, 'group', field) ?? '', version, kind };
}

function gvr(v: unknown, field: string): GroupVersionResource {
  if (!isJsonObject(v)) fail(field, 'an object {group, version, resource}', v);
  const version = optString(v, 'version', field);
  const resource = optString(v, 'resource', field);
  if (!version) fail(`${field}.version`, 'a non-empty string', v.version);
  if (!resource) fail(`${field}.resource`, 'a non-empty string', v.resource);
  return { group: optString(v, 'group', field) ?? '', version, resource };
}

function object(v: unknown, field: string): JsonObject | null | undefined {
  if (v === undefined || v === null) return v;
  if (!isJsonObject(v)) fail(field, 'a JSON object (a Kubernetes object) or null', v);
  return v;
}

function userInfo(v: unknown): UserInfo {
  if (v === undefined || v === null) return {};
  if (!isJsonObject(v)) fail('request.userInfo', 'an object', v);
  const groups = v.groups;
  if (groups !== undefined && groups !== null && (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))) fail('request.userInfo.groups', 'an array of strings', groups);
  const extra = v.extra;
  if (extra !== undefined && extra !== null) {
    if (!isJsonObject(extra)) fail('request.userInfo.extra', 'an object of string arrays', extra);
    for (const [k, x] of Object.entries(extra)) {
      // Go writes a nil ExtraValue as null.
      if (x !== null && (!Array.isArray(x) || x.some((s) => typeof s !== 'string'))) fail(`request.userInfo.extra.${k}`, 'an array of strings', x);
    }
  }
  return {
    username: optString(v, 'username', 'request.userInfo'),
    uid: optString(v, 'uid', 'request.userInfo'),
    groups: (groups ?? undefined) as string[] | undefined,
    extra: extra == null ? undefined : Object.fromEntries(Object.entries(extra).map(([k, x]) => [k, (x ?? []) as string[]])),
  };
}

/** Decodes AdmissionReview v1's `request`; throws AdmissionRequestError naming the field. */
export function parseAdmissionRequest(v: unknown): AdmissionRequest {
  if (!isJsonObject(v)) fail('request', 'an object', v);
  const uid = v.uid;
  if (typeof uid !== 'string' || uid === '') {
    throw new AdmissionRequestError('request.uid', uid === undefined ? 'request.uid is missing: kube-apiserver always sends one and expects it echoed' : `request.uid: expected a non-empty string, got ${describe(uid)}`);
  }
  const operation = v.operation;
  if (typeof operation !== 'string' || operation === '') fail('request.operation', `a non-empty string (${OPERATIONS.join(', ')})`, operation);
  const dryRun = v.dryRun;
  if (dryRun !== undefined && dryRun !== null && typeof dryRun !== 'boolean') fail('request.dryRun', 'a boolean', dryRun);
  return {
    uid,
    kind: gvk(v.kind, 'request.kind'),
    resource: gvr(v.resource, 'request.resource'),
    subResource: optString(v, 'subResource', 'request'),
    requestKind: v.requestKind === undefined || v.requestKind === null ? undefined : gvk(v.requestKind, 'request.requestKind'),
    requestResource: v.requestResource === undefined || v.requestResource === null ? undefined : gvr(v.requestResource, 'request.requestResource'),
    requestSubResource: optString(v, 'requestSubResource', 'request'),
    name: optString(v, 'name', 'request'),
    namespace: optString(v, 'namespace', 'request'),
    operation: operation as Operation,
    userInfo: userInfo(v.userInfo),
    object: object(v.object, 'request.object'),
    oldObject: object(v.oldObject, 'request.oldObject'),
    dryRun: dryRun === true,
    options: object(v.options, 'request.options'),
  };
}

/** Decodes a whole AdmissionReview: admission.k8s.io/v1 exactly, kind AdmissionReview, a request with a uid. */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
  if (!isJsonObject(body)) fail('body', 'an AdmissionReview object', body);
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    const got = body.apiVersion === undefined ? 'none' : JSON.stringify(body.apiVersion);
    throw new AdmissionRequestError('apiVersion', `apiVersion: expected "${ADMISSION_API_VERSION}", got ${got}` +
      (body.apiVersion === 'admission.k8s.io/v1beta1' ? ' (plugd speaks v1 only: set admissionReviewVersions: ["v1"] in the webhook configuration)' : ''));
  }
  if (body.kind !== ADMISSION_REVIEW_KIND) {
    throw new AdmissionRequestError('kind', `kind: expected "${ADMISSION_REVIEW_KIND}", got ${body.kind === undefined ? 'none' : JSON.stringify(body.kind)}`);
  }
  if (body.request === undefined || body.request === null) throw new AdmissionRequestError('request', 'request is missing: an AdmissionReview sent to a webhook carries one');
  return parseAdmissionRequest(body.request);
}

/** The labels of a Kubernetes object (metadata.labels), {} when it has none. */
export function labelsOf(obj: JsonObject | null | undefined): Readonly<Record<string, string>> {
  const meta = obj?.metadata;
  if (!isJsonObject(meta)) return {};
  const labels = meta.labels;
  if (!isJsonObject(labels)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}
