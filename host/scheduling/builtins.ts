/**
 * kube-scheduler's built-in plugins as pure functions: NodeResourcesFit (filter; LeastAllocated,
 * MostAllocated, RequestedToCapacityRatio), NodeResourcesBalancedAllocation, NodeAffinity,
 * TaintToleration, NodeUnschedulable, NodeName, NodePorts, ImageLocality, and the framework
 * helpers DefaultNormalizeScore
 * and numFeasibleNodesToFind. The per-node numeric scorers (builtins/resources.ts,
 * builtins/framework-helpers.ts) import nothing, for the worker pool; the object-shaped
 * wrappers live beside them.
 */
export * from './builtins/types.js';
export * from './builtins/resources.js';
export * from './builtins/framework-helpers.js';
export * from './builtins/fit.js';
export * from './builtins/affinity.js';
export * from './builtins/taints.js';
export * from './builtins/node.js';
export * from './builtins/ports.js';
export * from './builtins/images.js';
export { isQualifiedName, isValidLabelValue, isDNS1123Subdomain } from './builtins/labels.js';
