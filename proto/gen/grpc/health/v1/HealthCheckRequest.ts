// Original file: proto/grpc/health/v1/health.proto


export interface HealthCheckRequest {
  /**
   * "" is the plugin as a whole; a fully-qualified service name asks about that service.
   */
  'service'?: (string);
}

export interface HealthCheckRequest__Output {
  /**
   * "" is the plugin as a whole; a fully-qualified service name asks about that service.
   */
  'service': (string);
}
