import { ERROR_CODES, type ErrorCode } from '@shop/contract';
import type { z } from 'zod';

// Errors live below the modules and the transport: services throw them, http/errors.ts maps them to responses.

/**
 * The one application error. Services throw it for expected outcomes (out of stock, already paid, not found);
 * http/errors.ts turns it, and anything else, into DESIGN.md's error shape.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { status?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code];
    this.details = options.details;
  }
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found`);
}

/** A zod failure as a 400 VALIDATION_ERROR listing each failing field. */
export function validationError(error: z.ZodError, where: string): AppError {
  const fields = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new AppError(
    'VALIDATION_ERROR',
    `Invalid ${where}: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`,
    {
      details: { fields },
    },
  );
}
