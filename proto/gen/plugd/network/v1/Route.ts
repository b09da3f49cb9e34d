// Original file: proto/plugd/network/v1/network.proto


/**
 * Route is one entry of a Result's `routes`. Numeric fields: 0 = unset (the
 * JSON key is omitted).
 */
export interface Route {
  /**
   * The destination in CIDR notation ("0.0.0.0/0").
   */
  'dst'?: (string);
  /**
   * The next hop; empty = the gateway of the matching IPConfig.
   */
  'gw'?: (string);
  /**
   * The route's MTU.
   */
  'mtu'?: (number);
  /**
   * The TCP advertised MSS.
   */
  'advmss'?: (number);
  /**
   * The route priority (metric).
   */
  'priority'?: (number);
  /**
   * The routing table.
   */
  'table'?: (number);
  /**
   * The route scope (0 = universe, the default).
   */
  'scope'?: (number);
}

/**
 * Route is one entry of a Result's `routes`. Numeric fields: 0 = unset (the
 * JSON key is omitted).
 */
export interface Route__Output {
  /**
   * The destination in CIDR notation ("0.0.0.0/0").
   */
  'dst': (string);
  /**
   * The next hop; empty = the gateway of the matching IPConfig.
   */
  'gw': (string);
  /**
   * The route's MTU.
   */
  'mtu': (number);
  /**
   * The TCP advertised MSS.
   */
  'advmss': (number);
  /**
   * The route priority (metric).
   */
  'priority': (number);
  /**
   * The routing table.
   */
  'table': (number);
  /**
   * The route scope (0 = universe, the default).
   */
  'scope': (number);
}
