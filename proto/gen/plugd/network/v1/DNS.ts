// Original file: proto/plugd/network/v1/network.proto


/**
 * DNS is a Result's `dns`.
 */
export interface DNS {
  /**
   * Resolver addresses, in priority order.
   */
  'nameservers'?: (string)[];
  /**
   * The local domain for short names.
   */
  'domain'?: (string);
  /**
   * Search domains, in priority order.
   */
  'search'?: (string)[];
  /**
   * Resolver options, e.g. "ndots:2".
   */
  'options'?: (string)[];
}

/**
 * DNS is a Result's `dns`.
 */
export interface DNS__Output {
  /**
   * Resolver addresses, in priority order.
   */
  'nameservers': (string)[];
  /**
   * The local domain for short names.
   */
  'domain': (string);
  /**
   * Search domains, in priority order.
   */
  'search': (string)[];
  /**
   * Resolver options, e.g. "ndots:2".
   */
  'options': (string)[];
}
