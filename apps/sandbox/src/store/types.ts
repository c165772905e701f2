import type { TradeStatus } from '@shop/alipay';

/** Domain records as the services see them: camelCase, Dates for instants, integer fen for money. */

export interface AppRecord {
  appId: string;
  publicKeyPem: string;
  /** Open-id mode apps get `open_id` only from oauth.token (Alipay's default for new apps since 2024). */
  openIdMode: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface Buyer {
  userId: string;
  openId: string;
  nickname: string;
  /** The Alipay account name, shown masked (`138******01`) to merchants. */
  logonId: string;
  balanceFen: number;
  createdAt: Date;
}

export interface AuthCode {
  code: string;
  appId: string;
  userId: string;
  scope: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface OAuthToken {
  token: string;
  kind: 'access' | 'refresh';
  appId: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export type CloseReason = 'timeout' | 'merchant' | 'refunded';

export interface Trade {
  tradeNo: string;
  appId: string;
  outTradeNo: string;
  subject: string;
  body: string | null;
  totalFen: number;
  buyerUserId: string;
  /** Created with `buyer_open_id`: notifies and queries then name the buyer by open id. */
  buyerByOpenId: boolean;
  productCode: string | null;
  notifyUrl: string | null;
  /** The charset of the creating request; notifies are sent in it. */
  charset: string;
  passbackParams: string | null;
  status: TradeStatus;
  timeExpire: string | null;
  timeoutExpress: string | null;
  createdAt: Date;
  /** When the unpaid trade closes itself (already scaled by the time scale). */
  expiresAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  closeReason: CloseReason | null;
  refundedFen: number;
}

export type RefundSource = 'gateway' | 'control';

export interface Refund {
  id: number;
  tradeNo: string;
  outRequestNo: string;
  amountFen: number;
  reason: string | null;
  source: RefundSource;
  createdAt: Date;
}

export interface LedgerEntry {
  id: number;
  kind: 'payment' | 'refund';
  appId: string;
  tradeNo: string;
  outTradeNo: string;
  outRequestNo: string | null;
  buyerUserId: string;
  amountFen: number;
  buyerBalanceAfterFen: number;
  createdAt: Date;
}

export interface TradeEvent {
  id: number;
  tradeNo: string;
  kind: string;
  detail: Record<string, unknown> | null;
  createdAt: Date;
}

export type NotifyKind = 'payment' | 'refund' | 'close';
export type NotifyStatus = 'pending' | 'held' | 'delivered' | 'failed';

export interface NotifyRecord {
  id: number;
  notifyId: string;
  appId: string;
  tradeNo: string;
  outTradeNo: string;
  kind: NotifyKind;
  notifyUrl: string;
  charset: string;
  /** The notify's fields without `notify_time`, `sign_type` and `sign`, which each attempt adds. */
  fields: Record<string, string>;
  status: NotifyStatus;
  attempts: number;
  nextAttemptAt: Date;
  heldSeq: number | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export type AttemptOutcome = 'success' | 'failure' | 'dropped';

export interface NotifyAttempt {
  id: number;
  notifyId: string;
  attemptNo: number;
  /** 1 for the attempt itself; 2.. for concurrent duplicates injected by a fault. */
  copyNo: number;
  startedAt: Date;
  durationMs: number;
  httpStatus: number | null;
  responseBody: string | null;
  error: string | null;
  outcome: AttemptOutcome;
  faults: string[];
  sentBody: string | null;
}
