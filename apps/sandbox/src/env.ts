import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The only module that reads process.env (STYLE.md, "Config"). Parsed once with zod; a bad value fails fast with the
 * variable's name. `.env.example` beside package.json documents every variable.
 */

/** The repository root, so that `.data/` is the same folder whichever directory the sandbox is started from. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// An empty variable (`SANDBOX_PORT=`) means "not set", as in most dotenv tooling.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const booleanText = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

export const SandboxEnv = z.object({
  SANDBOX_HOST: optional(z.string().min(1)),
  SANDBOX_PORT: optional(z.coerce.number().int().min(0).max(65_535)),
  DATA_DIR: optional(z.string().min(1)),
  SANDBOX_DB_FILE: optional(z.string().min(1)),
  SANDBOX_PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  SANDBOX_TIME_SCALE: optional(z.coerce.number().positive().max(1000)),
  SANDBOX_FEE_RATE_BPS: optional(z.coerce.number().int().min(0).max(10_000)),
  SANDBOX_BILLS_SAME_DAY: optional(booleanText),
  SANDBOX_NOTIFY_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(120_000)),
  SANDBOX_ALIPAY_PRIVATE_KEY_FILE: optional(z.string().min(1)),
  SANDBOX_APP_ID: optional(z.string().regex(/^\d{16}$/, 'an app id is 16 digits')),
  SANDBOX_APP_PUBLIC_KEY_FILE: optional(z.string().min(1)),
  /** This process's name in GET /healthz, so whoever started it can tell its answer from another program's. */
  SANDBOX_INSTANCE_ID: optional(
    z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, underscore or dash; at most 64'),
  ),
  SANDBOX_LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
});
export type SandboxEnv = z.infer<typeof SandboxEnv>;

let parsed: SandboxEnv | undefined;

/** Parses process.env once; throws an Error naming every bad variable. */
export function loadEnv(): SandboxEnv {
  if (parsed) return parsed;
  const result = SandboxEnv.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid sandbox environment: ${problems.join('; ')}`);
  }
  parsed = result.data;
  return parsed;
}
