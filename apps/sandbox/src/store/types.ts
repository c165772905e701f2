import type { TradeStatus } from '@shop/alipay';

/** Domain records as the services see them: camelCase, Dates for instants, integer fen for money. */

export interface AppRecord {
  appId: string;
  publicKeyPem: string;
  /** Open-id mode apps get `open_id` only from oauth.token (Alipay's default for new apps since 2024). */
  openIdMode: boolean;
  /** Certificate mode (公钥证书模式): the SN of the app certificate the sandbox issued; null in public-key mode. */
  appCertSn: string | null;
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

export type TradeMethod = 'alipay.trade.create' | 'alipay.trade.wap.pay' | 'alipay.trade.precreate';

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
  /** The gateway method that created the trade (alipay.trade.create, .wap.pay or .precreate). */
  method: TradeMethod;
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

export type CertificateRole = 'root' | 'intermediate' | 'alipay' | 'app';

/** A certificate of the sandbox's CA: its roots, the intermediate, Alipay's certificates, and the apps'. */
export interface CertificateRecord {
  id: number;
  role: CertificateRole;
  /** The SN clients compute (MD5 of issuer and serial), not the X.509 serial. */
  sn: string;
  appId: string | null;
  certPem: string;
  /** The certificate with its intermediate, as Alipay's `.crt` files hold it (roots: the certificate alone). */
  chainPem: string;
  /** The CA's and Alipay's own keys; null for app certificates (the app keeps its key). */
  privateKeyPem: string | null;
  /** Alipay: the certificate responses are signed under now. App: the app's certificate. */
  current: boolean;
  notAfter: Date;
  createdAt: Date;
}

export type PendingOrderKind = 'wap' | 'precreate';
export type PendingOrderStatus = 'open' | 'closed' | 'traded';

/**
 * An order Alipay knows before it is a trade: a mobile web payment request (wap.pay) before the buyer pays, or a
 * QR code (precreate) before a buyer scans it. alipay.trade.query answers ACQ.TRADE_NOT_EXIST for it.
 */
export interface PendingOrder {
  id: string;
  kind: PendingOrderKind;
  appId: string;
  outTradeNo: string;
  subject: string;
  body: string | null;
  totalFen: number;
  productCode: string | null;
  notifyUrl: string | null;
  returnUrl: string | null;
  quitUrl: string | null;
  charset: string;
  passbackParams: string | null;
  timeExpire: string | null;
  timeoutExpress: string | null;
  /** precreate: the code's content (a sandbox URL). */
  qrCode: string | null;
  status: PendingOrderStatus;
  tradeNo: string | null;
  createdAt: Date;
  /** When the order (and the trade made from it) expires, already scaled by the time scale. */
  expiresAt: Date;
  closedAt: Date | null;
}

export interface TemplateKeyword {
  key: string;
  label: string;
}

/** A subscription message template registered for an app (its `user_template_id` and what it shows). */
export interface MessageTemplate {
  appId: string;
  templateId: string;
  kind: string;
  title: string;
  keywords: TemplateKeyword[];
  createdAt: Date;
  updatedAt: Date;
}

/** Who gave a one-time agreement: the subscribe page (the stand-in for my.requestSubscribeMessage) or a test. */
export type AgreementSource = 'page' | 'control';

/** A message alipay.open.app.mini.templatemessage.send delivered to a buyer. */
export interface MessageRecord {
  id: string;
  appId: string;
  buyerUserId: string;
  templateId: string;
  page: string;
  /** The keyword values, in the template's keyword order. */
  data: Record<string, string>;
  createdAt: Date;
}

/** A template of an app and how many unused one-time agreements a buyer has left for it. */
export interface RemainingAgreements {
  template: MessageTemplate;
  remaining: number;
}
