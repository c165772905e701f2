import { z } from 'zod';

/**
 * The closed list of error codes every client switches on. The HTTP status travels beside the code; the body is
 * always `{ "error": { "code", "message", "details" } }` (DESIGN.md, "Errors").
 */
export const ERROR_CODES = {
  VALIDATION_ERROR: 400,
  UNAUTHENTICATED: 401,
  AUTH_CODE_INVALID: 401,
  SESSION_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  OUT_OF_STOCK: 409,
  PRODUCT_UNAVAILABLE: 409,
  ORDER_STATE_CONFLICT: 409,
  ORDER_EXPIRED: 409,
  ALREADY_PAID: 409,
  /** The order is being paid another way (a trade exists at Alipay for it): finish that payment. */
  PAYMENT_METHOD_CONFLICT: 409,
  /** A return_url query whose signature, app or amount does not check out. */
  PAYMENT_RETURN_INVALID: 400,
  AFTER_SALE_STATE_CONFLICT: 409,
  AFTER_SALE_OPEN: 409,
  REFUND_EXCEEDS_PAID: 422,
  CART_EMPTY: 422,
  CART_LIMIT: 422,
  ADDRESS_LIMIT: 422,
  UNSUPPORTED_IMAGE: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  PAYMENT_GATEWAY_ERROR: 502,
  PAYMENT_OUTCOME_UNKNOWN: 503,
  PAYMENT_GATEWAY_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
  };
}

/** The error body as a schema (the OpenAPI document's `ErrorResponse`); `ErrorBody` is its type. */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
