// Original file: proto/plugd/network/v1/network.proto


/**
 * Attachment is one entry of GC's valid attachments.
 */
export interface Attachment {
  'containerId'?: (string);
  'ifname'?: (string);
}

/**
 * Attachment is one entry of GC's valid attachments.
 */
export interface Attachment__Output {
  'containerId': (string);
  'ifname': (string);
}
