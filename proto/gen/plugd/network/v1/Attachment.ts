// Original file: proto/plugd/network/v1/network.proto


/**
 * Attachment is one entry of GC's valid attachments.
 */
export interface Attachment {
  /**
   * The container's CNI_CONTAINERID, as given to its ADD.
   */
  'containerId'?: (string);
  /**
   * The interface name inside the container (CNI_IFNAME), as given to its ADD.
   */
  'ifname'?: (string);
}

/**
 * Attachment is one entry of GC's valid attachments.
 */
export interface Attachment__Output {
  /**
   * The container's CNI_CONTAINERID, as given to its ADD.
   */
  'containerId': (string);
  /**
   * The interface name inside the container (CNI_IFNAME), as given to its ADD.
   */
  'ifname': (string);
}
