// Original file: proto/pluginregistration/api.proto


/**
 * PluginInfo is what a plugin answers to GetInfo.
 */
export interface PluginInfo {
  /**
   * The interface the plugin implements. plugd knows "SchedulerPlugin",
   * "AdmissionPlugin" and "NetworkPlugin"; any other type is rejected with a
   * NotifyRegistrationStatus(false, ...) that lists the known types.
   */
  'type'?: (string);
  /**
   * The plugin's name, unique per type: [a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}.
   * A second live instance with the same name is a hot-swap candidate.
   */
  'name'?: (string);
  /**
   * Where the typed service is served. Empty: on this same socket. Otherwise an
   * absolute unix socket path, or a path relative to the socket directory.
   */
  'endpoint'?: (string);
  /**
   * The interface versions the plugin serves at `endpoint` (e.g. "v1", "v1beta1").
   * The host picks the highest version present both here and in its own list.
   */
  'supportedVersions'?: (string)[];
}

/**
 * PluginInfo is what a plugin answers to GetInfo.
 */
export interface PluginInfo__Output {
  /**
   * The interface the plugin implements. plugd knows "SchedulerPlugin",
   * "AdmissionPlugin" and "NetworkPlugin"; any other type is rejected with a
   * NotifyRegistrationStatus(false, ...) that lists the known types.
   */
  'type': (string);
  /**
   * The plugin's name, unique per type: [a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}.
   * A second live instance with the same name is a hot-swap candidate.
   */
  'name': (string);
  /**
   * Where the typed service is served. Empty: on this same socket. Otherwise an
   * absolute unix socket path, or a path relative to the socket directory.
   */
  'endpoint': (string);
  /**
   * The interface versions the plugin serves at `endpoint` (e.g. "v1", "v1beta1").
   * The host picks the highest version present both here and in its own list.
   */
  'supportedVersions': (string)[];
}
