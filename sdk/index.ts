/**
 * The plugd SDK: everything a plugin author imports. A plugin is definePlugin({...}) plus
 * servePlugin(plugin) — or a module that default-exports the definition, run with
 * `plugd serve MODULE`. The SDK never imports the host.
 */
export {
  definePlugin,
  renamePlugin,
  isPluginDefinition,
  type PluginDefinition,
  type PluginSpec,
  type SchedulerPluginSpec,
  type AdmissionPluginSpec,
  type NetworkPluginSpec,
  type SchedulerHandlers,
  type SchedulerV1beta1Handlers,
  type VersionHooks,
  type AdmissionHandlers,
  type NetworkHandlers,
  type CallContext,
  type Handler,
} from './define.js';
export { servePlugin, servePlugins, SocketInUseError, SocketPathTakenError, type ServeOptions, type ServePluginsOptions, type ServedPlugin, type RegistrationEvent } from './serve.js';
export { HealthService, type ServingStatus } from './health.js';
export { defaultSocketDir } from './paths.js';
export { PLUGIN_NAME_PATTERN, type PluginType } from '../proto/index.js';
export { testPlugin, type PluginHarness, type TestPluginOptions, type HarnessCallOptions, type HookName, type HookRequest, type HookResponse } from './testing.js';
