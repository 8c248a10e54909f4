/** Errors raised while reading discovery sources. */

/** Stable codes of {@link DiscoveryError}. */
export type DiscoveryErrorCode =
  | 'ERR_SD_INVALID_GROUPS'
  | 'ERR_SD_HTTP_STATUS'
  | 'ERR_SD_HTTP_CONTENT_TYPE'
  | 'ERR_SD_INVALID_URL'
  | 'ERR_SD_INVALID_PATH'
  | 'ERR_SD_READ'
  | 'ERR_SD_DNS'
  | 'ERR_SD_CONSUL_RESPONSE'
  | 'ERR_SD_K8S_INVALID_OBJECT'
  | 'ERR_SD_K8S_API'
  | 'ERR_SD_K8S_CONFIG';

/** A discovery source could not be read or did not hold valid target groups. */
export class DiscoveryError extends Error {
  /** A stable, machine-readable code. */
  readonly code: DiscoveryErrorCode;

  constructor(code: DiscoveryErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DiscoveryError';
    this.code = code;
  }
}
