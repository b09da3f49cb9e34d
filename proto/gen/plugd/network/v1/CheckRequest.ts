// Original file: proto/plugd/network/v1/network.proto

import type { RuntimeConf as _plugd_network_v1_RuntimeConf, RuntimeConf__Output as _plugd_network_v1_RuntimeConf__Output } from '../../../plugd/network/v1/RuntimeConf.js';

export interface CheckRequest {
  'runtime'?: (_plugd_network_v1_RuntimeConf | null);
  'config'?: (Buffer | Uint8Array | string);
  'cniVersion'?: (string);
  /**
   * The cached result of the ADD of the whole list; always present.
   */
  'prevResult'?: (Buffer | Uint8Array | string);
}

export interface CheckRequest__Output {
  'runtime': (_plugd_network_v1_RuntimeConf__Output | null);
  'config': (Buffer);
  'cniVersion': (string);
  /**
   * The cached result of the ADD of the whole list; always present.
   */
  'prevResult': (Buffer);
}
