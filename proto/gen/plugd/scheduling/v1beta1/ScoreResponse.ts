// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto


/**
 * ScoreResponse: one score per node of the request, already normalized.
 */
export interface ScoreResponse {
  /**
   * Exactly one score per entry of ScoreRequest.nodes, in the same order, each
   * in [0, 100] (kube-scheduler's MaxNodeScore). A wrong count or a score
   * above 100 is a malformed answer. The host then applies the weight.
   */
  'scores'?: (number)[];
}

/**
 * ScoreResponse: one score per node of the request, already normalized.
 */
export interface ScoreResponse__Output {
  /**
   * Exactly one score per entry of ScoreRequest.nodes, in the same order, each
   * in [0, 100] (kube-scheduler's MaxNodeScore). A wrong count or a score
   * above 100 is a malformed answer. The host then applies the weight.
   */
  'scores': (number)[];
}
