// Original file: proto/plugd/network/v1/network.proto


/**
 * Error is a CNI error. Its presence in a response means the operation failed.
 */
export interface Error {
  /**
   * The CNI code:
   * 1 incompatible CNI version; 2 unsupported field in the network
   * configuration (msg names it); 3 container unknown or does not exist;
   * 4 invalid necessary environment (msg names the variable); 5 I/O
   * failure; 6 failed to decode content; 7 invalid network configuration;
   * 11 try again later (transient); 50 STATUS: not available, ADD cannot be
   * serviced; 51 STATUS: not available, and existing containers may have
   * limited connectivity; 100 and up: plugin-specific.
   * 0 is not a valid code: the host reports it as 999 (libcni's internal
   * error). ErrorCode names each of these values.
   */
  'code'?: (number);
  /**
   * A short human-readable message.
   */
  'msg'?: (string);
  /**
   * Longer detail, e.g. a wrapped underlying error.
   */
  'details'?: (string);
}

/**
 * Error is a CNI error. Its presence in a response means the operation failed.
 */
export interface Error__Output {
  /**
   * The CNI code:
   * 1 incompatible CNI version; 2 unsupported field in the network
   * configuration (msg names it); 3 container unknown or does not exist;
   * 4 invalid necessary environment (msg names the variable); 5 I/O
   * failure; 6 failed to decode content; 7 invalid network configuration;
   * 11 try again later (transient); 50 STATUS: not available, ADD cannot be
   * serviced; 51 STATUS: not available, and existing containers may have
   * limited connectivity; 100 and up: plugin-specific.
   * 0 is not a valid code: the host reports it as 999 (libcni's internal
   * error). ErrorCode names each of these values.
   */
  'code': (number);
  /**
   * A short human-readable message.
   */
  'msg': (string);
  /**
   * Longer detail, e.g. a wrapped underlying error.
   */
  'details': (string);
}
