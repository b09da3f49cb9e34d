// Original file: proto/plugd/scheduling/v1/scheduling.proto


/**
 * UnreserveResponse is the plugin's empty acknowledgement.
 */
export interface UnreserveResponse {
}

/**
 * UnreserveResponse is the plugin's empty acknowledgement.
 */
export interface UnreserveResponse__Output {
}
