// Original file: proto/plugd/admission/v1/admission.proto

import type { ExtraValue as _plugd_admission_v1_ExtraValue, ExtraValue__Output as _plugd_admission_v1_ExtraValue__Output } from '../../../plugd/admission/v1/ExtraValue.js';

/**
 * UserInfo is the requesting user, as authentication/v1 UserInfo.
 */
export interface UserInfo {
  /**
   * The user's name, e.g. "system:serviceaccount:default:builder".
   */
  'username'?: (string);
  /**
   * A unique id for the user, stable across name changes; may be empty.
   */
  'uid'?: (string);
  /**
   * The groups the user is in, e.g. "system:authenticated".
   */
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
  /**
   * The user's name, e.g. "system:serviceaccount:default:builder".
   */
  'username': (string);
  /**
   * A unique id for the user, stable across name changes; may be empty.
   */
  'uid': (string);
  /**
   * The groups the user is in, e.g. "system:authenticated".
   */
  'groups': (string)[];
  /**
   * Extra attributes from the authenticator (e.g. scopes).
   */
  'extra': ({[key: string]: _plugd_admission_v1_ExtraValue__Output});
}
