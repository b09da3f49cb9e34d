// Original file: proto/plugd/admission/v1/admission.proto

import type { ExtraValue as _plugd_admission_v1_ExtraValue, ExtraValue__Output as _plugd_admission_v1_ExtraValue__Output } from '../../../plugd/admission/v1/ExtraValue.js';

/**
 * UserInfo is the requesting user, as authentication/v1 UserInfo.
 */
export interface UserInfo {
  'username'?: (string);
  'uid'?: (string);
  'groups'?: (string)[];
  /**
   * Extra attributes from the authenticator (e.g. scopes).
   */
  'extra'?: ({[key: string]: _plugd_admission_v1_ExtraValue});
}

/**
 * UserInfo is the requesting user, as authentication/v1 UserInfo.
 */
export interface UserInfo__Output {
  'username': (string);
  'uid': (string);
  'groups': (string)[];
  /**
   * Extra attributes from the authenticator (e.g. scopes).
   */
  'extra': ({[key: string]: _plugd_admission_v1_ExtraValue__Output});
}
