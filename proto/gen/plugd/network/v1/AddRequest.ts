// Original file: proto/plugd/network/v1/network.proto

import type { RuntimeConf as _plugd_network_v1_RuntimeConf, RuntimeConf__Output as _plugd_network_v1_RuntimeConf__Output } from '../../../plugd/network/v1/RuntimeConf.js';

export interface AddRequest {
  'runtime'?: (_plugd_network_v1_RuntimeConf | null);
  'config'?: (Buffer | Uint8Array | string);
  'cniVersion'?: (string);
  /**
   * The result of the previous plugin in the list; empty for the first.
   */
  'prevResult'?: (Buffer | Uint8Array | string);
}

export interface AddRequest__Output {
  'runtime': (_plugd_network_v1_RuntimeConf__Output | null);
  'config': (Buffer);
  'cniVersion': (string);
  /**
   * The result of the previous plugin in the list; empty for the first.
   */
  'prevResult': (Buffer);
}
