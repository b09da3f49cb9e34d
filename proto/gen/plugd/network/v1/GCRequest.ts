// Original file: proto/plugd/network/v1/network.proto

import type { RuntimeConf as _plugd_network_v1_RuntimeConf, RuntimeConf__Output as _plugd_network_v1_RuntimeConf__Output } from '../../../plugd/network/v1/RuntimeConf.js';
import type { Attachment as _plugd_network_v1_Attachment, Attachment__Output as _plugd_network_v1_Attachment__Output } from '../../../plugd/network/v1/Attachment.js';

/**
 * GCRequest is CNI GC on this plugin.
 */
export interface GCRequest {
  /**
   * Only `path` is meaningful.
   */
  'runtime'?: (_plugd_network_v1_RuntimeConf | null);
  /**
   * As for the other operations, without the spec's injected
   * `cni.dev/valid-attachments` key, which travels in valid_attachments.
   */
  'config'?: (Buffer | Uint8Array | string);
  /**
   * The version in force (config's cniVersion).
   */
  'cniVersion'?: (string);
  /**
   * The attachments of this network (config's `name`) that are still valid.
   * The plugin releases whatever it holds for any other attachment.
   */
  'validAttachments'?: (_plugd_network_v1_Attachment)[];
}

/**
 * GCRequest is CNI GC on this plugin.
 */
export interface GCRequest__Output {
  /**
   * Only `path` is meaningful.
   */
  'runtime': (_plugd_network_v1_RuntimeConf__Output | null);
  /**
   * As for the other operations, without the spec's injected
   * `cni.dev/valid-attachments` key, which travels in valid_attachments.
   */
  'config': (Buffer);
  /**
   * The version in force (config's cniVersion).
   */
  'cniVersion': (string);
  /**
   * The attachments of this network (config's `name`) that are still valid.
   * The plugin releases whatever it holds for any other attachment.
   */
  'validAttachments': (_plugd_network_v1_Attachment__Output)[];
}
