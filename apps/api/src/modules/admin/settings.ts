import type { Env } from '../../env';
import type { AdminAuthSettings } from './auth/service';

/** The admin module's settings, from the environment (see .env.example). */
export function adminAuthSettings(env: Env): AdminAuthSettings {
  return {
    ttlMs: env.ADMIN_SESSION_TTL_MS,
    windowMs: env.ADMIN_SIGNIN_WINDOW_MS,
    maxFailuresPerUser: env.ADMIN_SIGNIN_MAX_FAILURES_PER_USER,
    maxFailuresPerIp: env.ADMIN_SIGNIN_MAX_FAILURES_PER_IP,
  };
}
