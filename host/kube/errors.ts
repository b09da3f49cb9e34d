/**
 * The cluster-state informers' coded errors: a kubeconfig or in-cluster environment that
 * cannot work (refused at start, before any request), and a request the API server refused or
 * that never reached it. Match on `err.code`; `resource` names what was being listed or watched.
 */
import { PlugdError } from '../errors.js';

export const KubeErrorCodes = {
  /** --kubeconfig / --in-cluster cannot be used: unreadable file, no current context, no server, missing token. */
  CONFIG_INVALID: 'PLUGD_ERR_KUBE_CONFIG',
  /** A list or watch request failed: HTTP status (see `status`), transport error, or an unreadable body. */
  REQUEST_FAILED: 'PLUGD_ERR_KUBE_REQUEST',
  /** The API server ended a watch with an ERROR event (its Status in `status`/`reason`). */
  WATCH_ERROR: 'PLUGD_ERR_KUBE_WATCH',
} as const;

export type KubeErrorCode = (typeof KubeErrorCodes)[keyof typeof KubeErrorCodes];

export interface KubeErrorOptions {
  /** The resource concerned (nodes, pods, namespaces). */
  resource?: string;
  /** The HTTP status, or the Status object's code for a watch ERROR event. */
  status?: number;
  /** The Status object's reason (Expired, Gone, Forbidden, …), when the server sent one. */
  reason?: string;
  cause?: unknown;
}

export class KubeError extends PlugdError<KubeErrorCode> {
  readonly resource: string | undefined;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  /**
   * ListWatch (client-node cache.js) looks for `statusCode` or `code` === 410 to drop its
   * resourceVersion and relist; `code` is ours, so the HTTP status is offered as statusCode.
   */
  readonly statusCode: number | undefined;

  constructor(code: KubeErrorCode, message: string, options: KubeErrorOptions = {}) {
    super(code, message, { cause: options.cause });
    this.name = 'KubeError';
    this.resource = options.resource;
    this.status = options.status;
    this.reason = options.reason;
    this.statusCode = options.status;
  }

  /** 410 Gone: the resourceVersion is too old (compacted); only a fresh list recovers. */
  get expired(): boolean {
    return this.status === 410;
  }
}

export function isKubeError(err: unknown): err is KubeError {
  return err instanceof KubeError;
}
