/**
 * The host's coded errors. Every infrastructure failure a caller can see is a PlugdError
 * with a stable `code`, the `plugin` it concerns (when there is one) and the underlying
 * `cause`; callers and tests match on `err.code`, never on the message.
 */

export const ErrorCodes = {
  /** A call to a plugin did not answer within its deadline. */
  CALL_TIMEOUT: 'PLUGD_ERR_CALL_TIMEOUT',
  /** A call reached the plugin and failed (a gRPC error status, a crash mid-call). */
  CALL_FAILED: 'PLUGD_ERR_CALL_FAILED',
  /** No instance of the plugin is in rotation (none registered, unhealthy, or gone). */
  PLUGIN_UNAVAILABLE: 'PLUGD_ERR_PLUGIN_UNAVAILABLE',
  /** The plugin is registered but does not implement the hook that was called. */
  NOT_IMPLEMENTED: 'PLUGD_ERR_NOT_IMPLEMENTED',
  /** The instance failed repeatedly; calls are refused until a probe succeeds. */
  CIRCUIT_OPEN: 'PLUGD_ERR_CIRCUIT_OPEN',
  /** Too many calls in flight to one instance, and the wait for a slot ran out. */
  CONCURRENCY_LIMIT: 'PLUGD_ERR_CONCURRENCY_LIMIT',
  /** A message over the configured size limit. */
  MESSAGE_TOO_LARGE: 'PLUGD_ERR_MESSAGE_TOO_LARGE',
  /** A plugin was refused at registration (see `reason`). */
  REGISTRATION_REJECTED: 'PLUGD_ERR_REGISTRATION_REJECTED',
  /** A configuration file or option is invalid. */
  CONFIG_INVALID: 'PLUGD_ERR_CONFIG_INVALID',
  /** The socket directory is unsafe (writable by others, owned by another user). */
  SOCKET_DIR_INSECURE: 'PLUGD_ERR_SOCKET_DIR_INSECURE',
  /** The host is shutting down. */
  HOST_CLOSED: 'PLUGD_ERR_HOST_CLOSED',
  /** A plugin answered what its contract forbids (e.g. a JSONPatch that does not apply, or changes metadata.uid). */
  MALFORMED_ANSWER: 'PLUGD_ERR_MALFORMED_ANSWER',
  /** An AdmissionReview request that is not one kube-apiserver would send (a field missing or of the wrong type). */
  ADMISSION_REQUEST_INVALID: 'PLUGD_ERR_ADMISSION_REQUEST_INVALID',
  /** A plugin's namespaceSelector could not be evaluated: the namespace's labels are unknown. */
  NAMESPACE_LABELS_UNKNOWN: 'PLUGD_ERR_NAMESPACE_LABELS_UNKNOWN',
  /** The webhook door's certificate or key could not be loaded. */
  WEBHOOK_TLS: 'PLUGD_ERR_WEBHOOK_TLS',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface PlugdErrorOptions {
  plugin?: string;
  cause?: unknown;
}

/** The base of every coded error; a facility with its own catalogue (e.g. the pool) narrows `C`. */
export class PlugdError<C extends string = ErrorCode> extends Error {
  readonly code: C;
  /** The plugin the failure concerns, when there is one. */
  readonly plugin: string | undefined;

  constructor(code: C, message: string, options: PlugdErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlugdError';
    this.code = code;
    this.plugin = options.plugin;
  }
}

/** A failed call to a plugin's hook: names the plugin, the method and the gRPC status. */
export class PluginCallError extends PlugdError {
  readonly method: string;
  /** The gRPC status code of the failure (grpc.status), when the transport gave one. */
  readonly grpcCode: number | undefined;
  /** The failure policy applied to this failure, once one was (see PolicyApplier). */
  policy: 'Fail' | 'Ignore' | undefined;
  /** False when the call certainly never reached the plugin (no connection): always safe to retry. */
  readonly delivered: boolean;

  constructor(code: ErrorCode, plugin: string, method: string, message: string, cause?: unknown, grpcCode?: number, delivered = true) {
    super(code, `plugin ${plugin}: ${method}: ${message}`, { plugin, cause });
    this.name = 'PluginCallError';
    this.method = method;
    this.grpcCode = grpcCode;
    this.delivered = delivered;
    this.policy = undefined;
  }
}

/** Why a plugin was refused at registration; also the metric label. */
export type RejectionReason =
  | 'invalid-name'
  | 'unknown-type'
  | 'no-common-version'
  | 'invalid-endpoint'
  | 'no-capabilities'
  | 'bad-capabilities'
  | 'never-healthy'
  | 'max-plugins'
  | 'owner-not-allowed'
  | 'name-owned-by-other-user'
  | 'name-conflict';

export class RegistrationRejected extends PlugdError {
  readonly reason: RejectionReason;
  constructor(reason: RejectionReason, message: string, options: PlugdErrorOptions = {}) {
    super(ErrorCodes.REGISTRATION_REJECTED, message, options);
    this.name = 'RegistrationRejected';
    this.reason = reason;
  }
}

export function isPlugdError(err: unknown): err is PlugdError<string> {
  return err instanceof PlugdError;
}
