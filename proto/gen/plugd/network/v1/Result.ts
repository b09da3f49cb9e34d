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
  'interfaces'?: (_plugd_network_v1_Interface)[];
  'ips'?: (_plugd_network_v1_IPConfig)[];
  'routes'?: (_plugd_network_v1_Route)[];
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
  'interfaces': (_plugd_network_v1_Interface__Output)[];
  'ips': (_plugd_network_v1_IPConfig__Output)[];
  'routes': (_plugd_network_v1_Route__Output)[];
  'dns': (_plugd_network_v1_DNS__Output | null);
}
