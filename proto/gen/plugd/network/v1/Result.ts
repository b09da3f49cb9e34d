// Original file: proto/plugd/network/v1/network.proto

import type { Interface as _plugd_network_v1_Interface, Interface__Output as _plugd_network_v1_Interface__Output } from '../../../plugd/network/v1/Interface.js';
import type { IPConfig as _plugd_network_v1_IPConfig, IPConfig__Output as _plugd_network_v1_IPConfig__Output } from '../../../plugd/network/v1/IPConfig.js';
import type { Route as _plugd_network_v1_Route, Route__Output as _plugd_network_v1_Route__Output } from '../../../plugd/network/v1/Route.js';
import type { DNS as _plugd_network_v1_DNS, DNS__Output as _plugd_network_v1_DNS__Output } from '../../../plugd/network/v1/DNS.js';

/**
 * Result is a CNI result (the ADD output), structured.
 */
export interface Result {
  /**
   * The version the result is expressed in; empty = the request's cni_version.
   */
  'cniVersion'?: (string);
  /**
   * The interfaces the plugin created or configured, host and container side.
   */
  'interfaces'?: (_plugd_network_v1_Interface)[];
  /**
   * The addresses assigned; each may point into `interfaces` by index.
   */
  'ips'?: (_plugd_network_v1_IPConfig)[];
  /**
   * The routes set up in the container.
   */
  'routes'?: (_plugd_network_v1_Route)[];
  /**
   * DNS settings for the container; unset when there are none.
   */
  'dns'?: (_plugd_network_v1_DNS | null);
}

/**
 * Result is a CNI result (the ADD output), structured.
 */
export interface Result__Output {
  /**
   * The version the result is expressed in; empty = the request's cni_version.
   */
  'cniVersion': (string);
  /**
   * The interfaces the plugin created or configured, host and container side.
   */
  'interfaces': (_plugd_network_v1_Interface__Output)[];
  /**
   * The addresses assigned; each may point into `interfaces` by index.
   */
  'ips': (_plugd_network_v1_IPConfig__Output)[];
  /**
   * The routes set up in the container.
   */
  'routes': (_plugd_network_v1_Route__Output)[];
  /**
   * DNS settings for the container; unset when there are none.
   */
  'dns': (_plugd_network_v1_DNS__Output | null);
}
