// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * PermitResponse: allow, wait or reject.
 */
export interface PermitResponse {
  /**
   * SUCCESS: the pod may bind. WAIT: hold the pod for up to wait_ms; it binds
   * once every waiting plugin allowed it (see WaitOnPermit).
   * UNSCHEDULABLE: rejected; the host calls Unreserve and the cycle fails.
   * ERROR: as UNSCHEDULABLE, retried with backoff.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
  /**
   * With WAIT: the longest the pod may wait, in milliseconds. The host caps it
   * at 900000 (15 minutes); 0 means the cap. When it runs out the pod is
   * rejected (UNSCHEDULABLE) and unreserved.
   */
  'waitMs'?: (number);
}

/**
 * PermitResponse: allow, wait or reject.
 */
export interface PermitResponse__Output {
  /**
   * SUCCESS: the pod may bind. WAIT: hold the pod for up to wait_ms; it binds
   * once every waiting plugin allowed it (see WaitOnPermit).
   * UNSCHEDULABLE: rejected; the host calls Unreserve and the cycle fails.
   * ERROR: as UNSCHEDULABLE, retried with backoff.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
  /**
   * With WAIT: the longest the pod may wait, in milliseconds. The host caps it
   * at 900000 (15 minutes); 0 means the cap. When it runs out the pod is
   * rejected (UNSCHEDULABLE) and unreserved.
   */
  'waitMs': (number);
}
