// Original file: proto/plugd/network/v1/network.proto


/**
 * RuntimeConf is the CNI environment, parsed.
 */
export interface RuntimeConf {
  /**
   * CNI_CONTAINERID. Empty for STATUS and GC.
   */
  'containerId'?: (string);
  /**
   * CNI_NETNS: the path of the network namespace. Empty for STATUS and GC, and
   * may be empty on DEL when the namespace is already gone.
   */
  'netns'?: (string);
  /**
   * CNI_IFNAME: the interface name inside the container. Empty for STATUS and
   * GC.
   */
  'ifname'?: (string);
  /**
   * CNI_ARGS parsed ("K=V;K=V"), e.g. K8S_POD_NAMESPACE, K8S_POD_NAME,
   * K8S_POD_UID, IgnoreUnknown. A repeated key keeps its last value.
   */
  'args'?: ({[key: string]: string});
  /**
   * CNI_PATH split on ':': where delegated plugins (e.g. IPAM) are found.
   */
  'path'?: (string)[];
  /**
   * CNI_ARGS exactly as given, for plugins that need the original string.
   */
  'cniArgsRaw'?: (string);
}

/**
 * RuntimeConf is the CNI environment, parsed.
 */
export interface RuntimeConf__Output {
  /**
   * CNI_CONTAINERID. Empty for STATUS and GC.
   */
  'containerId': (string);
  /**
   * CNI_NETNS: the path of the network namespace. Empty for STATUS and GC, and
   * may be empty on DEL when the namespace is already gone.
   */
  'netns': (string);
  /**
   * CNI_IFNAME: the interface name inside the container. Empty for STATUS and
   * GC.
   */
  'ifname': (string);
  /**
   * CNI_ARGS parsed ("K=V;K=V"), e.g. K8S_POD_NAMESPACE, K8S_POD_NAME,
   * K8S_POD_UID, IgnoreUnknown. A repeated key keeps its last value.
   */
  'args': ({[key: string]: string});
  /**
   * CNI_PATH split on ':': where delegated plugins (e.g. IPAM) are found.
   */
  'path': (string)[];
  /**
   * CNI_ARGS exactly as given, for plugins that need the original string.
   */
  'cniArgsRaw': (string);
}
