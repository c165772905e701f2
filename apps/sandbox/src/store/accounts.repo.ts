import type { Db } from './db';
import type { AppRecord, AuthCode, Buyer, OAuthToken } from './types';

/** Apps, buyers, auth codes and OAuth tokens. */

interface AppRow {
  app_id: string;
  public_key_pem: string;
  open_id_mode: number;
  app_cert_sn: string | null;
  created_at: number;
  updated_at: number;
}

interface BuyerRow {
  user_id: string;
  open_id: string;
  nickname: string;
  logon_id: string;
  balance_fen: number;
  created_at: number;
}

interface AuthCodeRow {
  code: string;
  app_id: string;
  user_id: string;
  scope: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

interface TokenRow {
  token: string;
  kind: 'access' | 'refresh';
  app_id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const toApp = (row: AppRow): AppRecord => ({
  appId: row.app_id,
  publicKeyPem: row.public_key_pem,
  openIdMode: row.open_id_mode === 1,
  appCertSn: row.app_cert_sn,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const toBuyer = (row: BuyerRow): Buyer => ({
  userId: row.user_id,
  openId: row.open_id,
  nickname: row.nickname,
  logonId: row.logon_id,
  balanceFen: row.balance_fen,
  createdAt: new Date(row.created_at),
});

const toAuthCode = (row: AuthCodeRow): AuthCode => ({
  code: row.code,
  appId: row.app_id,
  userId: row.user_id,
  scope: row.scope,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  usedAt: row.used_at === null ? null : new Date(row.used_at),
});

const toToken = (row: TokenRow): OAuthToken => ({
  token: row.token,
  kind: row.kind,
  appId: row.app_id,
  userId: row.user_id,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
});

export class AccountsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Registers an app, or replaces its key: in public-key mode (`appCertSn` null, the default) or in certificate
   * mode with the SN of the certificate issued for that key.
   */
  upsertApp(
    appId: string,
    publicKeyPem: string,
    openIdMode: boolean,
    now: Date,
    appCertSn: string | null = null,
  ): AppRecord {
    this.db
      .prepare(
        `INSERT INTO apps (app_id, public_key_pem, open_id_mode, app_cert_sn, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (app_id) DO UPDATE SET public_key_pem = excluded.public_key_pem,
           open_id_mode = excluded.open_id_mode, app_cert_sn = excluded.app_cert_sn, updated_at = excluded.updated_at`,
      )
      .run(appId, publicKeyPem, openIdMode ? 1 : 0, appCertSn, now.getTime(), now.getTime());
    return this.findApp(appId) as AppRecord;
  }

  findApp(appId: string): AppRecord | undefined {
    const row = this.db.prepare('SELECT * FROM apps WHERE app_id = ?').get(appId) as AppRow | undefined;
    return row && toApp(row);
  }

  listApps(): AppRecord[] {
    return (this.db.prepare('SELECT * FROM apps ORDER BY app_id').all() as AppRow[]).map(toApp);
  }

  /** Inserts a buyer; returns false when the user id or open id is taken. */
  insertBuyer(buyer: Omit<Buyer, 'createdAt'>, now: Date): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO buyers (user_id, open_id, nickname, logon_id, balance_fen, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(buyer.userId, buyer.openId, buyer.nickname, buyer.logonId, buyer.balanceFen, now.getTime());
    return result.changes === 1;
  }

  findBuyer(userId: string): Buyer | undefined {
    const row = this.db.prepare('SELECT * FROM buyers WHERE user_id = ?').get(userId) as BuyerRow | undefined;
    return row && toBuyer(row);
  }

  findBuyerByOpenId(openId: string): Buyer | undefined {
    const row = this.db.prepare('SELECT * FROM buyers WHERE open_id = ?').get(openId) as BuyerRow | undefined;
    return row && toBuyer(row);
  }

  listBuyers(): Buyer[] {
    return (this.db.prepare('SELECT * FROM buyers ORDER BY user_id').all() as BuyerRow[]).map(toBuyer);
  }

  updateBuyer(userId: string, changes: { nickname?: string; balanceFen?: number }): boolean {
    const result = this.db
      .prepare(
        `UPDATE buyers SET nickname = coalesce(?, nickname), balance_fen = coalesce(?, balance_fen)
         WHERE user_id = ?`,
      )
      .run(changes.nickname ?? null, changes.balanceFen ?? null, userId);
    return result.changes === 1;
  }

  /** Debits a balance only if it covers the amount (a guarded update); false when it does not. */
  debitBuyer(userId: string, amountFen: number): boolean {
    const result = this.db
      .prepare('UPDATE buyers SET balance_fen = balance_fen - ? WHERE user_id = ? AND balance_fen >= ?')
      .run(amountFen, userId, amountFen);
    return result.changes === 1;
  }

  creditBuyer(userId: string, amountFen: number): void {
    const result = this.db
      .prepare('UPDATE buyers SET balance_fen = balance_fen + ? WHERE user_id = ?')
      .run(amountFen, userId);
    if (result.changes !== 1) throw new Error(`buyer ${userId} vanished while crediting a refund`);
  }

  insertAuthCode(code: Omit<AuthCode, 'usedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO auth_codes (code, app_id, user_id, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        code.code,
        code.appId,
        code.userId,
        code.scope,
        code.createdAt.getTime(),
        code.expiresAt.getTime(),
      );
  }

  findAuthCode(code: string): AuthCode | undefined {
    const row = this.db.prepare('SELECT * FROM auth_codes WHERE code = ?').get(code) as
      AuthCodeRow | undefined;
    return row && toAuthCode(row);
  }

  /** Marks a code used if it is still unused (single use even under concurrent exchanges). */
  useAuthCode(code: string, now: Date): boolean {
    const result = this.db
      .prepare('UPDATE auth_codes SET used_at = ? WHERE code = ? AND used_at IS NULL')
      .run(now.getTime(), code);
    return result.changes === 1;
  }

  insertToken(token: Omit<OAuthToken, 'revokedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO oauth_tokens (token, kind, app_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        token.token,
        token.kind,
        token.appId,
        token.userId,
        token.createdAt.getTime(),
        token.expiresAt.getTime(),
      );
  }

  findToken(token: string): OAuthToken | undefined {
    const row = this.db.prepare('SELECT * FROM oauth_tokens WHERE token = ?').get(token) as
      TokenRow | undefined;
    return row && toToken(row);
  }

  revokeToken(token: string, now: Date): boolean {
    const result = this.db
      .prepare('UPDATE oauth_tokens SET revoked_at = ? WHERE token = ? AND revoked_at IS NULL')
      .run(now.getTime(), token);
    return result.changes === 1;
  }
}
