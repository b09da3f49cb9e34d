// Original file: proto/plugd/network/v1/network.proto

/**
 * ErrorCode names the CNI error codes of the spec (1.1.0). Error.code is a
 * uint32 so that plugin-specific codes (100 and up) fit; these are the values
 * with a meaning of their own.
 */
export const ErrorCode = {
  /**
   * Not a valid code: the host reports an Error with code 0 as 999.
   */
  ERROR_CODE_UNSPECIFIED: 'ERROR_CODE_UNSPECIFIED',
  /**
   * The network configuration's cniVersion is not supported.
   */
  INCOMPATIBLE_CNI_VERSION: 'INCOMPATIBLE_CNI_VERSION',
  /**
   * A field of the network configuration is not supported; msg names it.
   */
  UNSUPPORTED_FIELD: 'UNSUPPORTED_FIELD',
  /**
   * The container is unknown or does not exist (e.g. CHECK without an ADD).
   */
  UNKNOWN_CONTAINER: 'UNKNOWN_CONTAINER',
  /**
   * A necessary environment variable is missing or invalid; msg names it.
   */
  INVALID_ENVIRONMENT_VARIABLES: 'INVALID_ENVIRONMENT_VARIABLES',
  /**
   * An I/O failure (e.g. reading stdin).
   */
  IO_FAILURE: 'IO_FAILURE',
  /**
   * Content could not be decoded (e.g. stdin or prevResult is not JSON).
   */
  DECODING_FAILURE: 'DECODING_FAILURE',
  /**
   * The network configuration is invalid.
   */
  INVALID_NETWORK_CONFIG: 'INVALID_NETWORK_CONFIG',
  /**
   * Transient: the runtime should try again later.
   */
  TRY_AGAIN_LATER: 'TRY_AGAIN_LATER',
  /**
   * STATUS: the plugin is not available; the runtime should not send ADD.
   */
  PLUGIN_NOT_AVAILABLE: 'PLUGIN_NOT_AVAILABLE',
  /**
   * STATUS: not available, and existing containers may have limited
   * connectivity.
   */
  PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY: 'PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY',
  /**
   * libcni's code for an error that carries no code of its own (a plugin that
   * failed without printing a CNI error, or answered code 0).
   */
  INTERNAL: 'INTERNAL',
} as const;

/**
 * ErrorCode names the CNI error codes of the spec (1.1.0). Error.code is a
 * uint32 so that plugin-specific codes (100 and up) fit; these are the values
 * with a meaning of their own.
 */
export type ErrorCode =
  /**
   * Not a valid code: the host reports an Error with code 0 as 999.
   */
  | 'ERROR_CODE_UNSPECIFIED'
  | 0
  /**
   * The network configuration's cniVersion is not supported.
   */
  | 'INCOMPATIBLE_CNI_VERSION'
  | 1
  /**
   * A field of the network configuration is not supported; msg names it.
   */
  | 'UNSUPPORTED_FIELD'
  | 2
  /**
   * The container is unknown or does not exist (e.g. CHECK without an ADD).
   */
  | 'UNKNOWN_CONTAINER'
  | 3
  /**
   * A necessary environment variable is missing or invalid; msg names it.
   */
  | 'INVALID_ENVIRONMENT_VARIABLES'
  | 4
  /**
   * An I/O failure (e.g. reading stdin).
   */
  | 'IO_FAILURE'
  | 5
  /**
   * Content could not be decoded (e.g. stdin or prevResult is not JSON).
   */
  | 'DECODING_FAILURE'
  | 6
  /**
   * The network configuration is invalid.
   */
  | 'INVALID_NETWORK_CONFIG'
  | 7
  /**
   * Transient: the runtime should try again later.
   */
  | 'TRY_AGAIN_LATER'
  | 11
  /**
   * STATUS: the plugin is not available; the runtime should not send ADD.
   */
  | 'PLUGIN_NOT_AVAILABLE'
  | 50
  /**
   * STATUS: not available, and existing containers may have limited
   * connectivity.
   */
  | 'PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY'
  | 51
  /**
   * libcni's code for an error that carries no code of its own (a plugin that
   * failed without printing a CNI error, or answered code 0).
   */
  | 'INTERNAL'
  | 999

/**
 * ErrorCode names the CNI error codes of the spec (1.1.0). Error.code is a
 * uint32 so that plugin-specific codes (100 and up) fit; these are the values
 * with a meaning of their own.
 */
export type ErrorCode__Output = typeof ErrorCode[keyof typeof ErrorCode]
