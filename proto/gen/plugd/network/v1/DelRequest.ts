// Original file: proto/plugd/network/v1/network.proto

import type { RuntimeConf as _plugd_network_v1_RuntimeConf, RuntimeConf__Output as _plugd_network_v1_RuntimeConf__Output } from '../../../plugd/network/v1/RuntimeConf.js';

/**
 * DelRequest is CNI DEL on this plugin.
 */
export interface DelRequest {
  /**
   * The CNI environment (CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, …).
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
  /**
   * The cached result of the ADD of the whole list, when the host has it.
   */
  'prevResult'?: (Buffer | Uint8Array | string);
}

/**
 * DelRequest is CNI DEL on this plugin.
 */
export interface DelRequest__Output {
  /**
   * The CNI environment (CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, …).
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
  /**
   * The cached result of the ADD of the whole list, when the host has it.
   */
  'prevResult': (Buffer);
}
