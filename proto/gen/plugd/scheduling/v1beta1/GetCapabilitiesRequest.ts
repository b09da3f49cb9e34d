// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto


/**
 * GetCapabilitiesRequest is the host's empty request.
 */
export interface GetCapabilitiesRequest {
}

/**
 * GetCapabilitiesRequest is the host's empty request.
 */
export interface GetCapabilitiesRequest__Output {
}
