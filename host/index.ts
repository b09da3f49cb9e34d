/**
 * plugd as a library: embed a host in any TypeScript program.
 *
 *   const host = new PlugdHost({ socketDir, admin: false });
 *   await host.start();
 *   const res = await host.invoke('my-plugin', 'Filter', request);
 */
export { PlugdHost, DEFAULT_ADMIN, type HostOptions } from './host.js';
export { defaultConfig, loadConfig, parseConfig, type HostConfig, type PluginSettings, type LaunchSpec } from './config.js';
export { PolicyApplier, type CallPolicyOptions, type PolicyOutcome } from './policy.js';
export { ErrorCodes, PlugdError, PluginCallError, RegistrationRejected, isPlugdError, type ErrorCode, type RejectionReason } from './errors.js';
export { INTERFACES, type FailurePolicy, type InterfaceEntry } from './interfaces.js';
export type { InstanceStatus, RegistryEvents, DeregisterReason } from './registry/registry.js';
export type { StatusSnapshot, PluginView, InstanceView } from './status/types.js';
export type { StatusEvent, StatusEventKind } from './status/events.js';
export type { PluginInstance, CallSettings } from './registry/instance.js';
export { createLogger } from './log.js';
export { negotiate, compareVersions } from './discovery/versions.js';
export { serveExtender, type HostExtender, type HostExtenderOptions } from './scheduling-host.js';
export {
  NetworkChains, pluginsOf, CniError, CniCode, parseNetworkConfig, loadConfDir,
  type NetworkChainsOptions, type OperationOptions, type NetworkConfigList, type RuntimeConf, type CniResult, type Attachment, type NetworkPluginDirectory,
} from './network/index.js';
export { CniDoor, startCniService, type CniDoorOptions, type CniServiceOptions } from './doors/cni.js';
export {
  AdmissionChain, AdmissionRequestError, NAMESPACE_NAME_LABEL, parseAdmissionReview, parseAdmissionRequest,
  type AdmissionChainOptions, type AdmissionOutcome, type AdmissionPluginLike, type AdmissionRequest, type InProcessAdmissionPlugin,
  type NamespaceLookup, type PluginCall, type ReviewOptions,
} from './admission/index.js';
export { listenWebhook, WebhookDoor, type WebhookDoorOptions, type WebhookListenOptions, type WebhookServer } from './doors/webhook.js';
export { Framework, type FrameworkOptions, type Profile, type ScheduleResult, type CycleContext, type SchedulerPlugin } from './scheduling/framework.js';
export { loadSchedulerConfiguration, defaultProfile, type SchedulerConfiguration, type PluginResolver } from './scheduling/profile.js';
export { ClusterState, type ClusterSnapshot, type NodeInfo } from './scheduling/cluster-state.js';
export { DynamicSchedulerPlugin, dynamicResolver } from './scheduling/dynamic.js';
export { SnapshotFeeder } from './scheduling/snapshot-feed.js';
export { extractPod } from './scheduling/pod.js';
export { ExtenderDoor, extenderDoor, listenExtender } from './doors/extender.js';
export { WorkerPool } from './pool/index.js';
export { NodeColumns } from './scheduling/node-columns.js';
export { ResourceScorer, type ResourceScores, type BatchScores } from './scheduling/pool-scorer.js';
