// Original file: proto/plugd/network/v1/network.proto

import type { FailurePolicy as _plugd_network_v1_FailurePolicy, FailurePolicy__Output as _plugd_network_v1_FailurePolicy__Output } from '../../../plugd/network/v1/FailurePolicy.js';

/**
 * Capabilities is read once per registered instance, before any other call.
 */
export interface Capabilities {
  /**
   * The rpcs of this service the plugin implements, spelled as the rpc names
   * ("Add", "Del", "Check", "Status", "GC", "Version"). "Add" and "Del" are
   * required. For an operation the plugin does not implement the host answers
   * as the spec expects of a plugin with nothing to do: success, with CHECK
   * and GC doing nothing and VERSION answering cni_versions.
   */
  'implemented'?: (string)[];
  /**
   * The plugin's preferred failure policy; the host config can override it.
   */
  'failurePolicy'?: (_plugd_network_v1_FailurePolicy);
  /**
   * The plugin's preferred deadline per call, in milliseconds; 0 = the host's
   * default. The host config can override it. Runtimes allow minutes, but a
   * pod's start-up budget is seconds.
   */
  'timeoutMs'?: (number);
  /**
   * The CNI versions the plugin supports (as Version answers); required. When
   * the network configuration's cniVersion is not among them, the host
   * converts the config and prev_result down to the highest listed version
   * below it (and the result back up), as it does for exec'd binaries; when
   * there is none, it answers error 1 itself, without calling the plugin.
   */
  'cniVersions'?: (string)[];
}

/**
 * Capabilities is read once per registered instance, before any other call.
 */
export interface Capabilities__Output {
  /**
   * The rpcs of this service the plugin implements, spelled as the rpc names
   * ("Add", "Del", "Check", "Status", "GC", "Version"). "Add" and "Del" are
   * required. For an operation the plugin does not implement the host answers
   * as the spec expects of a plugin with nothing to do: success, with CHECK
   * and GC doing nothing and VERSION answering cni_versions.
   */
  'implemented': (string)[];
  /**
   * The plugin's preferred failure policy; the host config can override it.
   */
  'failurePolicy': (_plugd_network_v1_FailurePolicy__Output);
  /**
   * The plugin's preferred deadline per call, in milliseconds; 0 = the host's
   * default. The host config can override it. Runtimes allow minutes, but a
   * pod's start-up budget is seconds.
   */
  'timeoutMs': (number);
  /**
   * The CNI versions the plugin supports (as Version answers); required. When
   * the network configuration's cniVersion is not among them, the host
   * converts the config and prev_result down to the highest listed version
   * below it (and the result back up), as it does for exec'd binaries; when
   * there is none, it answers error 1 itself, without calling the plugin.
   */
  'cniVersions': (string)[];
}
