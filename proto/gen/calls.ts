import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Call as _plugd_calls_v1_Call, Call__Output as _plugd_calls_v1_Call__Output } from './plugd/calls/v1/Call.js';
import type { CallStreamClient as _plugd_calls_v1_CallStreamClient, CallStreamDefinition as _plugd_calls_v1_CallStreamDefinition } from './plugd/calls/v1/CallStream.js';
import type { Reply as _plugd_calls_v1_Reply, Reply__Output as _plugd_calls_v1_Reply__Output } from './plugd/calls/v1/Reply.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  plugd: {
    calls: {
      v1: {
        Call: MessageTypeDefinition<_plugd_calls_v1_Call, _plugd_calls_v1_Call__Output>
        /**
         * The stream of calls of one host to one plugin instance.
         */
        CallStream: SubtypeConstructor<typeof grpc.Client, _plugd_calls_v1_CallStreamClient> & { service: _plugd_calls_v1_CallStreamDefinition }
        Reply: MessageTypeDefinition<_plugd_calls_v1_Reply, _plugd_calls_v1_Reply__Output>
      }
    }
  }
}

