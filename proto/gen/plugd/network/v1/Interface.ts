// Original file: proto/plugd/network/v1/network.proto


/**
 * Interface is one entry of a Result's `interfaces`.
 */
export interface Interface {
  /**
   * The interface name.
   */
  'name'?: (string);
  /**
   * The hardware address; empty when there is none.
   */
  'mac'?: (string);
  /**
   * The MTU; 0 = unset.
   */
  'mtu'?: (number);
  /**
   * The network namespace path for interfaces in the container; empty for host
   * interfaces.
   */
  'sandbox'?: (string);
  /**
   * A socket path for userspace interfaces (e.g. vhost-user); JSON key
   * "socketPath".
   */
  'socketPath'?: (string);
  /**
   * The PCI address of a hardware interface (e.g. an SR-IOV VF); JSON key
   * "pciID".
   */
  'pciId'?: (string);
}

/**
 * Interface is one entry of a Result's `interfaces`.
 */
export interface Interface__Output {
  /**
   * The interface name.
   */
  'name': (string);
  /**
   * The hardware address; empty when there is none.
   */
  'mac': (string);
  /**
   * The MTU; 0 = unset.
   */
  'mtu': (number);
  /**
   * The network namespace path for interfaces in the container; empty for host
   * interfaces.
   */
  'sandbox': (string);
  /**
   * A socket path for userspace interfaces (e.g. vhost-user); JSON key
   * "socketPath".
   */
  'socketPath': (string);
  /**
   * The PCI address of a hardware interface (e.g. an SR-IOV VF); JSON key
   * "pciID".
   */
  'pciId': (string);
}
