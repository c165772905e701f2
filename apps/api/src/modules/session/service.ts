import { AlipayApiError, isAlipayError, type AlipayClient } from '@shop/alipay';
import type { SessionResponse } from '@shop/contract';
import { readDate, readDateOrNull } from '@shop/db';
import { sql, type Db } from '../../db';
import { AppError } from '../../errors';
import { issueSessionToken, judgeSession } from '../../lib/session-tokens';
import { timedGatewayCall } from '../../lib/metrics';
import { hashToken } from '../../lib/tokens';

export interface SessionSettings {
  ttlMs: number;
}

/**
 * Exchanges a one-time Alipay auth code for our session: alipay.system.oauth.token gives the user id (or open id
 * for open-id apps), we find or create the user and hand out an opaque token whose hash we store.
 */
export async function createSession(
  db: Db,
  alipay: AlipayClient,
  settings: SessionSettings,
  authCode: string,
): Promise<SessionResponse> {
  let identity: { userId: string | undefined; openId: string | undefined };
  try {
    identity = await timedGatewayCall('alipay.system.oauth.token', () =>
      alipay.oauthToken({ grantType: 'authorization_code', code: authCode }),
    );
  } catch (error) {
    if (error instanceof AlipayApiError && error.code === '40002') {
      throw new AppError('AUTH_CODE_INVALID', 'The Alipay auth code is invalid, expired or already used', {
        details: { subCode: error.subCode },
      });
    }
    if (isAlipayError(error)) {
      throw new AppError('PAYMENT_GATEWAY_UNAVAILABLE', 'Alipay sign-in is unavailable; try again', {
        cause: error,
      });
    }
    throw error;
  }
  if (!identity.userId && !identity.openId) {
    throw new AppError('AUTH_CODE_INVALID', 'Alipay returned no user for this auth code');
  }
  const where = identity.userId
    ? { alipayUserId: identity.userId }
    : { alipayOpenId: identity.openId as string };
  const user = await db.user.upsert({
    where,
    create: { alipayUserId: identity.userId ?? null, alipayOpenId: identity.openId ?? null },
    update: { lastSeenAt: new Date(), ...(identity.openId ? { alipayOpenId: identity.openId } : {}) },
  });
  const { token, tokenHash, expiresAt, lastUsedAt } = issueSessionToken(settings.ttlMs);
  await db.session.create({ data: { tokenHash, userId: user.id, expiresAt, lastUsedAt } });
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    user: { id: user.id, nickname: user.nickname, alipayUserId: user.alipayUserId },
  };
}

/** Who a request is from. Routes use the id (their services read what else they need about the user). */
export interface AuthenticatedUser {
  id: string;
  sessionId: string;
}

/**
 * Resolves a bearer token. Unknown or revoked: UNAUTHENTICATED. Expired: SESSION_EXPIRED, so clients know to sign in
 * again silently. Use slides the expiry, at most once a minute.
 */
export async function authenticate(
  db: Db,
  settings: SessionSettings,
  token: string,
): Promise<AuthenticatedUser> {
  // The session row alone: one statement on every signed-in request (joining the user cost a second one), read through
  // sql() because every order pays for it (through the Prisma client a read costs 150-250 µs of CPU; here a few).
  const row = await sql(db).read((q) =>
    q.get<{
      id: string;
      userId: string;
      revokedAt: string | Date | null;
      expiresAt: string | Date;
      lastUsedAt: string | Date;
    }>(
      'SELECT "id", "userId", "revokedAt", "expiresAt", "lastUsedAt" FROM "Session" WHERE "tokenHash" = ?',
      hashToken(token),
    ),
  );
  if (!row) throw new AppError('UNAUTHENTICATED', 'Sign in required');
  const session = {
    id: row.id,
    userId: row.userId,
    revokedAt: readDateOrNull(row.revokedAt),
    expiresAt: readDate(row.expiresAt),
    lastUsedAt: readDate(row.lastUsedAt),
  };
  const verdict = judgeSession(session, settings.ttlMs);
  if (!verdict.ok && verdict.reason === 'expired') {
    throw new AppError('SESSION_EXPIRED', 'Your session has expired; sign in again');
  }
  if (!verdict.ok) throw new AppError('UNAUTHENTICATED', 'Sign in required');
  if (verdict.slide) await db.session.update({ where: { id: session.id }, data: verdict.slide });
  return { id: session.userId, sessionId: session.id };
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}
