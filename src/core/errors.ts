/**
 * The one error catalogue: every failure Tailor reports has a stable code, an HTTP status and a
 * message that names what was wrong and where (file, line, field). Codes never change meaning.
 */

export const ERROR_CATALOGUE = {
  // input data
  DATA_PARSE: { status: 400, summary: 'a row of an input file could not be parsed' },
  DATA_FIELD: { status: 400, summary: 'a field of an input row is missing or invalid' },
  DATA_DUPLICATE_ID: { status: 400, summary: 'an id appears twice where ids must be unique' },
  DATA_FORMAT: { status: 400, summary: 'the input format is unknown or does not match the file' },
  DATA_NOT_FOUND: { status: 404, summary: 'an input file or folder does not exist' },
  DATA_DIMENSION: { status: 400, summary: 'a vector has the wrong dimension' },
  // configuration
  CONFIG_INVALID: { status: 500, summary: 'a configuration value is invalid' },
  // models and artifacts
  ARTIFACT_CORRUPT: { status: 500, summary: 'a model artifact failed its checksum or cannot be read' },
  ARTIFACT_MISMATCH: { status: 409, summary: 'a model artifact does not fit the catalogue or the running version' },
  TRAINING_FAILED: { status: 500, summary: 'training could not produce a model' },
  // online
  UNKNOWN_ITEM: { status: 404, summary: 'the item is not in the catalogue' },
  UNKNOWN_USER: { status: 404, summary: 'the user is not known' },
  ENGINE_CLOSED: { status: 503, summary: 'the engine is shut down' },
  NOT_READY: { status: 503, summary: 'the service is not ready yet' },
  // HTTP
  VALIDATION: { status: 400, summary: 'a request field is missing or invalid' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'the request body is too large' },
  UNAUTHORIZED: { status: 401, summary: 'a valid API key is required' },
  FORBIDDEN: { status: 403, summary: 'the API key may not do this' },
  RATE_LIMITED: { status: 429, summary: 'too many requests' },
  NOT_FOUND: { status: 404, summary: 'no such route or resource' },
  // storage and streams
  STORAGE_UNAVAILABLE: { status: 503, summary: 'the storage backend cannot be reached' },
  STREAM_UNAVAILABLE: { status: 503, summary: 'the event stream cannot be reached' },
  UNSUPPORTED_URL: { status: 500, summary: 'no driver for this URL scheme' },
  INTERNAL: { status: 500, summary: 'an unexpected internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Where in the input an error happened; every part is optional. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
  value?: unknown;
}

/** Tailor's only error class: a stable `code`, its HTTP `status`, and where the problem is. */
export class TailorError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly location: ErrorLocation;
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    location: ErrorLocation = {},
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(withLocation(message, location), options);
    this.name = 'TailorError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.location = location;
    this.details = details;
  }

  /** The JSON body the HTTP service returns for this error. */
  toJSON(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message, ...this.location, ...this.details } };
  }
}

function withLocation(message: string, loc: ErrorLocation): string {
  const where: string[] = [];
  if (loc.file !== undefined) where.push(loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file);
  else if (loc.line !== undefined) where.push(`line ${loc.line}`);
  if (loc.field !== undefined) where.push(`field "${loc.field}"`);
  return where.length > 0 ? `${where.join(', ')}: ${message}` : message;
}

/** True when `err` is a TailorError, optionally with the given code. */
export function isTailorError(err: unknown, code?: ErrorCode): err is TailorError {
  return err instanceof TailorError && (code === undefined || err.code === code);
}
