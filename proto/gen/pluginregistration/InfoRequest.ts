// Original file: proto/pluginregistration/api.proto


/**
 * InfoRequest is the host's empty request.
 */
export interface InfoRequest {
}

/**
 * InfoRequest is the host's empty request.
 */
export interface InfoRequest__Output {
}
