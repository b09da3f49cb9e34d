// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * BindResponse: bound, not mine (SKIP), or failed.
 */
export interface BindResponse {
  /**
   * SUCCESS: the plugin bound the pod; no other binder is called. SKIP: not
   * mine; the next Bind plugin tries (the host's default binder, which posts a
   * Binding, comes last). Anything else: the host calls Unreserve and the
   * cycle fails.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
}

/**
 * BindResponse: bound, not mine (SKIP), or failed.
 */
export interface BindResponse__Output {
  /**
   * SUCCESS: the plugin bound the pod; no other binder is called. SKIP: not
   * mine; the next Bind plugin tries (the host's default binder, which posts a
   * Binding, comes last). Anything else: the host calls Unreserve and the
   * cycle fails.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
}
