// Original file: proto/pluginregistration/api.proto


/**
 * RegistrationStatusResponse is the plugin's empty acknowledgement.
 */
export interface RegistrationStatusResponse {
}

/**
 * RegistrationStatusResponse is the plugin's empty acknowledgement.
 */
export interface RegistrationStatusResponse__Output {
}
