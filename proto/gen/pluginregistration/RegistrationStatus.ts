// Original file: proto/pluginregistration/api.proto


/**
 * RegistrationStatus is what the host tells the plugin at the end of the handshake.
 */
export interface RegistrationStatus {
  /**
   * True when the plugin is registered (it becomes active once it reports SERVING).
   */
  'pluginRegistered'?: (boolean);
  /**
   * Why registration failed; empty on success. Rejections name what the host
   * supports (types, versions, the name rule) so the author can fix the plugin.
   */
  'error'?: (string);
}

/**
 * RegistrationStatus is what the host tells the plugin at the end of the handshake.
 */
export interface RegistrationStatus__Output {
  /**
   * True when the plugin is registered (it becomes active once it reports SERVING).
   */
  'pluginRegistered': (boolean);
  /**
   * Why registration failed; empty on success. Rejections name what the host
   * supports (types, versions, the name rule) so the author can fix the plugin.
   */
  'error': (string);
}
