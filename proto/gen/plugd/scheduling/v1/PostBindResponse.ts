// Original file: proto/plugd/scheduling/v1/scheduling.proto


/**
 * PostBindResponse is the plugin's empty acknowledgement.
 */
export interface PostBindResponse {
}

/**
 * PostBindResponse is the plugin's empty acknowledgement.
 */
export interface PostBindResponse__Output {
}
