// Original file: proto/plugd/network/v1/network.proto

import type { RuntimeConf as _plugd_network_v1_RuntimeConf, RuntimeConf__Output as _plugd_network_v1_RuntimeConf__Output } from '../../../plugd/network/v1/RuntimeConf.js';

export interface DelRequest {
  'runtime'?: (_plugd_network_v1_RuntimeConf | null);
  'config'?: (Buffer | Uint8Array | string);
  'cniVersion'?: (string);
  /**
   * The cached result of the ADD of the whole list, when the host has it.
   */
  'prevResult'?: (Buffer | Uint8Array | string);
}

export interface DelRequest__Output {
  'runtime': (_plugd_network_v1_RuntimeConf__Output | null);
  'config': (Buffer);
  'cniVersion': (string);
  /**
   * The cached result of the ADD of the whole list, when the host has it.
   */
  'prevResult': (Buffer);
}
