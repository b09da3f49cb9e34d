// Original file: proto/plugd/network/v1/network.proto


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
