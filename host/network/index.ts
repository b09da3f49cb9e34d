/**
 * Network chains as a library: CNI network configuration lists over gRPC network plugins and
 * exec'd CNI binaries, with libcni's semantics (see docs/networking.md).
 *
 *   const chains = new NetworkChains({ plugins: pluginsOf(host), cniPath: ['/usr/lib/cni'], cacheDir });
 *   chains.setNetwork({ cniVersion: '1.0.0', name: 'podnet', plugins: [{ type: 'host-local', … }, { type: 'my-grpc-plugin' }] });
 *   const result = await chains.add('podnet', { containerID, netns, ifName: 'eth0' });
 */
export { NetworkChains, listJson, type NetworkChainsOptions, type OperationOptions } from './chains.js';
export {
  CniError, CniCode, CNI_COMMANDS, CNI_VERSION, SUPPORTED_CNI_VERSIONS, parseCniArgs, formatCniArgs,
  type Attachment, type CniCommand, type CniErrorJson, type CniResult, type RuntimeConf,
} from './cni.js';
export { parseNetworkConfig, loadConfDir, type NetworkConfigList, type PluginEntry, type ConfDirScan } from './conflist.js';
export { pluginsOf, type NetworkPluginDirectory, type GrpcPluginInfo } from './grpc-plugin.js';
export { convertResult, negotiateCniVersion, compareCniVersions } from './version.js';
export { ResultCache, type CachedAttachment } from './result-cache.js';
