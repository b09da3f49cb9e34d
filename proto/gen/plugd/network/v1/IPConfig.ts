// Original file: proto/plugd/network/v1/network.proto


/**
 * IPConfig is one entry of a Result's `ips`.
 */
export interface IPConfig {
  /**
   * The address with its prefix length, CIDR notation ("10.22.0.5/16").
   */
  'address'?: (string);
  /**
   * The default gateway for this subnet; empty when there is none.
   */
  'gateway'?: (string);
  /**
   * The index in `interfaces` of the interface the address is on, or -1 when
   * unset (the JSON key is then omitted). Careful: 0 is the first interface,
   * not "unset", so a plugin without an interface to point at must set -1
   * explicitly (the SDK does).
   */
  'interface'?: (number);
}

/**
 * IPConfig is one entry of a Result's `ips`.
 */
export interface IPConfig__Output {
  /**
   * The address with its prefix length, CIDR notation ("10.22.0.5/16").
   */
  'address': (string);
  /**
   * The default gateway for this subnet; empty when there is none.
   */
  'gateway': (string);
  /**
   * The index in `interfaces` of the interface the address is on, or -1 when
   * unset (the JSON key is then omitted). Careful: 0 is the first interface,
   * not "unset", so a plugin without an interface to point at must set -1
   * explicitly (the SDK does).
   */
  'interface': (number);
}
