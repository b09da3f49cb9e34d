// Original file: proto/plugd/admission/v1/admission.proto


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
