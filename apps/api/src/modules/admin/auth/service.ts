import { randomBytes } from 'node:crypto';
import type { AdminProfile, AdminSessionResponse } from '@shop/contract';
import type { Admin, AdminRole } from '@shop/db';
import { inTransaction, type Db } from '../../../db';
import { AppError } from '../../../errors';
import { hashPassword, needsRehash, verifyPassword } from '../../../lib/password';
import { issueSessionToken, judgeSession } from '../../../lib/session-tokens';
import { hashToken } from '../../../lib/tokens';
import { audit, writeAudit, type AdminActor } from '../audit/service';
import { claimAttempt, markAttemptSucceeded, type ThrottleSettings } from './throttle';

/**
 * Merchant sign-in: username and password (scrypt, lib/password.ts), opaque session tokens stored as hashes whose
 * expiry slides on use (lib/session-tokens.ts, shared with shopper sessions), throttling (throttle.ts), and an
 * audit row for every success and failure.
 */

export interface AdminSessionSettings {
  ttlMs: number;
}

export type AdminAuthSettings = AdminSessionSettings & ThrottleSettings;

/** An admin admitted by a session token, as the middleware leaves it on ctx.state.admin. */
export interface AuthenticatedAdmin {
  id: string;
  username: string;
  role: AdminRole;
  displayName: string;
  sessionId: string;
  sessionExpiresAt: Date;
}

export function adminProfile(admin: Pick<Admin, 'id' | 'username' | 'role' | 'displayName'>): AdminProfile {
  return { id: admin.id, username: admin.username, role: admin.role, displayName: admin.displayName };
}

const INVALID = () => new AppError('INVALID_CREDENTIALS', 'Wrong username or password');

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random password with today's parameters, checked against when the username is unknown, so an unknown
 * name costs the same scrypt work as a known one and the response time does not tell which names exist.
 */
function hashForUnknownUser(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64url')).catch((error: unknown) => {
    // Not remembered: the next sign-in tries again.
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}

/** Computes that hash ahead of the first sign-in, so even the first unknown name costs one hash, not two. */
export function prepareSignIn(): Promise<void> {
  return hashForUnknownUser().then(() => undefined);
}

export interface SignInInput {
  username: string;
  password: string;
  ip: string;
}

/**
 * Signs an admin in. Any wrong pair (unknown name, wrong password, deactivated account) is 401
 * INVALID_CREDENTIALS with the same message after the same work; a throttled attempt is 429 before any work.
 */
export async function signIn(
  db: Db,
  settings: AdminAuthSettings,
  input: SignInInput,
): Promise<AdminSessionResponse> {
  const attemptId = await inTransaction(db, (tx) =>
    claimAttempt(tx, settings, { username: input.username, ip: input.ip }),
  );
  const admin = await db.admin.findUnique({ where: { username: input.username } });
  const matches = await verifyPassword(input.password, admin?.passwordHash ?? (await hashForUnknownUser()));
  if (!admin || !matches || !admin.active) {
    await inTransaction(db, (tx) =>
      writeAudit(tx, {
        adminId: null,
        actorName: input.username,
        action: 'admin.sign-in-failed',
        targetType: 'Admin',
        // The account tried, when there is one; otherwise the name typed (bounded by the contract to 64 chars).
        targetId: admin?.id ?? input.username,
        beforeJson: null,
        afterJson: JSON.stringify({ username: input.username }),
        ip: input.ip,
      }),
    );
    throw INVALID();
  }
  // Parameters raised since this password was set: store a fresh hash now that we hold the password.
  const rehashed = needsRehash(admin.passwordHash) ? await hashPassword(input.password) : null;
  const issued = issueSessionToken(settings.ttlMs);
  const session = await inTransaction(db, async (tx) => {
    await markAttemptSucceeded(tx, attemptId);
    await tx.admin.update({
      where: { id: admin.id },
      data: { lastLoginAt: issued.lastUsedAt, ...(rehashed ? { passwordHash: rehashed } : {}) },
    });
    const created = await tx.adminSession.create({
      data: {
        tokenHash: issued.tokenHash,
        adminId: admin.id,
        lastUsedAt: issued.lastUsedAt,
        expiresAt: issued.expiresAt,
      },
    });
    await audit(tx, actorOf(admin, input.ip), {
      action: 'admin.sign-in',
      targetType: 'Admin',
      targetId: admin.id,
      after: { sessionId: created.id, expiresAt: issued.expiresAt.toISOString() },
    });
    return created;
  });
  return {
    token: issued.token,
    expiresAt: session.expiresAt.toISOString(),
    admin: adminProfile(admin),
  };
}

function actorOf(admin: Pick<Admin, 'id' | 'displayName' | 'role'>, ip: string | null): AdminActor {
  return { id: admin.id, name: admin.displayName, role: admin.role, ip };
}

/**
 * Resolves an admin bearer token. Unknown, revoked, or a deactivated account: 401 UNAUTHENTICATED; expired: 401
 * SESSION_EXPIRED. Use slides the expiry, at most once a minute.
 */
export async function authenticateAdmin(
  db: Db,
  settings: AdminSessionSettings,
  token: string,
): Promise<AuthenticatedAdmin> {
  const session = await db.adminSession.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { admin: { select: { id: true, username: true, role: true, displayName: true, active: true } } },
  });
  if (!session || !session.admin.active) throw new AppError('UNAUTHENTICATED', 'Sign in required');
  const verdict = judgeSession(session, settings.ttlMs);
  if (!verdict.ok && verdict.reason === 'expired') {
    throw new AppError('SESSION_EXPIRED', 'Your session has expired; sign in again');
  }
  if (!verdict.ok) throw new AppError('UNAUTHENTICATED', 'Sign in required');
  if (verdict.slide) await db.adminSession.update({ where: { id: session.id }, data: verdict.slide });
  const { admin } = session;
  return {
    id: admin.id,
    username: admin.username,
    role: admin.role,
    displayName: admin.displayName,
    sessionId: session.id,
    sessionExpiresAt: verdict.slide?.expiresAt ?? session.expiresAt,
  };
}

/** Ends the admin's current session (idempotent) and records it. */
export async function signOut(db: Db, actor: AdminActor, sessionId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const { count } = await tx.adminSession.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 1) {
      await audit(tx, actor, { action: 'admin.sign-out', targetType: 'Admin', targetId: actor.id });
    }
  });
}
