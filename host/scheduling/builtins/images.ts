/**
 * ImageLocality: favours nodes that already hold the pod's container images, each image's size
 * scaled by the share of nodes holding it (against the "node heating" of piling pods where an
 * image first landed), clamped and scaled to 0..100 exactly as kube-scheduler's plugin does.
 */
import { MaxNodeScore } from './types.js';

const mb = 1024 * 1024;
/** Below this sum of scaled image sizes a node scores 0. */
export const ImageMinThreshold = 23 * mb;
/** Per container: at or above this many bytes × containers a node scores 100. */
export const ImageMaxContainerThreshold = 1000 * mb;

/** normalizedImageName: a name without a tag (no ':' after the last '/') gets ":latest". */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/**
 * scaledImageScore: the image's size × (nodes holding it / all nodes), truncated as Go's
 * int64(float64(size) * spread).
 */
export function scaledImageScore(sizeBytes: number, numNodes: number, totalNumNodes: number): number {
  return Math.trunc(sizeBytes * (numNodes / totalNumNodes));
}

/**
 * sumImageScores: Σ scaledImageScore over the pod's images (normalized, init containers and
 * containers alike) that the node holds. `nodeImages` is the node's name → size;
 * `imageNodes` the number of nodes in the snapshot holding each name.
 */
export function sumImageScores(
  podImages: readonly string[],
  nodeImages: ReadonlyMap<string, number>,
  imageNodes: ReadonlyMap<string, number>,
  totalNumNodes: number,
): number {
  let sum = 0;
  if (nodeImages.size === 0) return sum;
  for (const name of podImages) {
    const size = nodeImages.get(name);
    if (size !== undefined) sum += scaledImageScore(size, imageNodes.get(name) ?? 1, totalNumNodes);
  }
  return sum;
}

/**
 * calculatePriority: the sum clamped to [23 MB, 1000 MB × containers], mapped linearly onto
 * 0..MaxNodeScore with Go's truncating integer division. `numContainers` counts init containers.
 */
export function imageLocalityPriority(sumScores: number, numContainers: number): number {
  const maxThreshold = ImageMaxContainerThreshold * numContainers;
  let sum = sumScores;
  if (sum < ImageMinThreshold) sum = ImageMinThreshold;
  else if (sum > maxThreshold) sum = maxThreshold;
  const score = Math.trunc((MaxNodeScore * (sum - ImageMinThreshold)) / (maxThreshold - ImageMinThreshold));
  return score === 0 ? 0 : score; // no containers: 0 / negative is -0 here, 0 in Go

}
