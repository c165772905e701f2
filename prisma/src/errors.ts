/** A migration problem a person has to resolve: the message says what happened and what to do. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
