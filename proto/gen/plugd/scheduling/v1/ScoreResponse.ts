// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';
import type { Long } from '@grpc/proto-loader';

/**
 * ScoreResponse carries exactly one of `scores` and `raw_scores`, with one
 * entry per candidate in candidate order. Score sees all candidates at once,
 * so a plugin with `normalizes` does its NormalizeScore in the same call. The
 * host checks every final score lies in [0, 100] (MaxNodeScore); a score out of
 * range, or a wrong length, is a malformed answer. Then weighted = score ×
 * weight, and a node's total is the sum over plugins.
 */
export interface ScoreResponse {
  /**
   * SUCCESS, or ERROR: the cycle fails.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
  /**
   * One byte per candidate, 0..100.
   */
  'scores'?: (Buffer | Uint8Array | string);
  /**
   * Only when the capability `normalizes` is false: scores of any range. The
   * host normalizes them onto [0, 100] as (s − min) × 100 / (max − min),
   * rounded down, min and max taken over this call; all equal → all 0.
   */
  'rawScores'?: (number | string | Long)[];
}

/**
 * ScoreResponse carries exactly one of `scores` and `raw_scores`, with one
 * entry per candidate in candidate order. Score sees all candidates at once,
 * so a plugin with `normalizes` does its NormalizeScore in the same call. The
 * host checks every final score lies in [0, 100] (MaxNodeScore); a score out of
 * range, or a wrong length, is a malformed answer. Then weighted = score ×
 * weight, and a node's total is the sum over plugins.
 */
export interface ScoreResponse__Output {
  /**
   * SUCCESS, or ERROR: the cycle fails.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
  /**
   * One byte per candidate, 0..100.
   */
  'scores': (Buffer);
  /**
   * Only when the capability `normalizes` is false: scores of any range. The
   * host normalizes them onto [0, 100] as (s − min) × 100 / (max − min),
   * rounded down, min and max taken over this call; all equal → all 0.
   */
  'rawScores': (number)[];
}
