// Original file: proto/plugd/network/v1/network.proto

import type { RuntimeConf as _plugd_network_v1_RuntimeConf, RuntimeConf__Output as _plugd_network_v1_RuntimeConf__Output } from '../../../plugd/network/v1/RuntimeConf.js';

/**
 * StatusRequest is CNI STATUS on this plugin.
 */
export interface StatusRequest {
  /**
   * Only `path` is meaningful.
   */
  'runtime'?: (_plugd_network_v1_RuntimeConf | null);
  /**
   * This plugin's entry of the configuration list as JSON (UTF-8): the stdin
   * an exec'd plugin would get, without `prevResult`.
   */
  'config'?: (Buffer | Uint8Array | string);
  /**
   * The version in force (config's cniVersion).
   */
  'cniVersion'?: (string);
}

/**
 * StatusRequest is CNI STATUS on this plugin.
 */
export interface StatusRequest__Output {
  /**
   * Only `path` is meaningful.
   */
  'runtime': (_plugd_network_v1_RuntimeConf__Output | null);
  /**
   * This plugin's entry of the configuration list as JSON (UTF-8): the stdin
   * an exec'd plugin would get, without `prevResult`.
   */
  'config': (Buffer);
  /**
   * The version in force (config's cniVersion).
   */
  'cniVersion': (string);
}
