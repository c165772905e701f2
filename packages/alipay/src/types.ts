/**
 * Typed inputs and results of the gateway methods we use. Amounts are integer fen on our side of the edge; the
 * client converts to and from Alipay's yuan strings.
 */

export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_CLOSED' | 'TRADE_SUCCESS' | 'TRADE_FINISHED';
export const TRADE_STATUSES: readonly TradeStatus[] = [
  'WAIT_BUYER_PAY',
  'TRADE_CLOSED',
  'TRADE_SUCCESS',
  'TRADE_FINISHED',
];

/** Identifies a trade by our number or Alipay's (at least one). */
export type TradeRef = { outTradeNo: string; tradeNo?: string } | { outTradeNo?: string; tradeNo: string };

/** The paying user: `buyer_id` (user-id mode) or `buyer_open_id` (open-id mode apps). */
export type TradeBuyer = { buyerId: string; buyerOpenId?: never } | { buyerOpenId: string; buyerId?: never };

export type OAuthTokenInput =
  { grantType: 'authorization_code'; code: string } | { grantType: 'refresh_token'; refreshToken: string };

export interface OAuthTokenResult {
  userId: string | undefined;
  openId: string | undefined;
  accessToken: string;
  expiresInSeconds: number;
  refreshToken: string | undefined;
  reExpiresInSeconds: number | undefined;
  authStart: Date | null;
}

export type TradeCreateInput = TradeBuyer & {
  outTradeNo: string;
  totalFen: number;
  subject: string;
  /** When the trade closes itself if unpaid; sent as `time_expire` in China time. */
  timeExpire?: Date;
  /** `JSAPI_PAY` for mini-program payments (unconfirmed in Alipay's docs, so overridable). */
  productCode?: string;
  body?: string;
  /** Overrides the client's default notify URL. */
  notifyUrl?: string;
};

export interface TradeCreateResult {
  outTradeNo: string;
  tradeNo: string;
}

export interface TradeQueryResult {
  tradeNo: string;
  outTradeNo: string;
  tradeStatus: TradeStatus;
  totalFen: number;
  receiptFen: number | undefined;
  buyerPayFen: number | undefined;
  buyerUserId: string | undefined;
  buyerOpenId: string | undefined;
  sendPayDate: Date | null;
}

export interface TradeCloseResult {
  tradeNo: string | undefined;
  outTradeNo: string | undefined;
}

export type TradeRefundInput = TradeRef & {
  refundFen: number;
  /** Unique per trade; the same number again refunds once and returns the same result. */
  outRequestNo: string;
  refundReason?: string;
};

export interface TradeRefundResult {
  tradeNo: string;
  outTradeNo: string;
  /** Cumulative refunded total of the trade after this call. */
  refundFeeFen: number;
  /** True when money moved on this call (false for a repeated out_request_no). */
  fundChange: boolean;
  gmtRefundPay: Date | null;
}

export type RefundQueryInput = TradeRef & { outRequestNo: string };

export interface RefundQueryResult {
  tradeNo: string | undefined;
  outTradeNo: string | undefined;
  outRequestNo: string | undefined;
  /** `REFUND_SUCCESS`, or undefined while the refund is not done (or does not exist). */
  refundStatus: 'REFUND_SUCCESS' | undefined;
  refundFen: number | undefined;
  totalFen: number | undefined;
}

export interface BillDownloadUrlInput {
  billType: 'trade' | 'signcustomer';
  /** `yyyy-MM-dd` or `yyyy-MM`, China calendar. */
  billDate: string;
}

export interface BillDownloadUrlResult {
  billDownloadUrl: string;
}

/**
 * alipay.trade.wap.pay (手机网站支付, https://opendocs.alipay.com/open/29ae8cb6_alipay.trade.wap.pay): the shopper's
 * phone browser is sent to the gateway with a request the merchant signed, pays on Alipay's mobile cashier and comes
 * back to `returnUrl`; leaving the cashier goes to `quitUrl`.
 */
export interface WapPayInput {
  outTradeNo: string;
  totalFen: number;
  subject: string;
  /** Where the browser comes back after paying, with signed `alipay.trade.wap.pay.return` parameters. */
  returnUrl: string;
  /** Where the browser goes when the shopper quits the cashier (`quit_url`). */
  quitUrl: string;
  /** When the trade closes itself if unpaid; sent as `time_expire` in China time. */
  timeExpire?: Date;
  /** `QUICK_WAP_WAY` unless set. */
  productCode?: string;
  body?: string;
  passbackParams?: string;
  /** Overrides the client's default notify URL. */
  notifyUrl?: string;
}

/** A signed page request (what alipay-sdk's `pageExec` produces), in both of the forms a browser can be sent with. */
export interface PageRequest {
  /** GET form: the gateway URL carrying every signed parameter. */
  url: string;
  /** POST form: the form's action (the gateway URL with the protocol parameters) ... */
  formAction: string;
  /** ... and its hidden fields (`biz_content` and the other API parameters). */
  formFields: Record<string, string>;
  /** An HTML form that submits itself, to serve as a page or inject into one. */
  formHtml: string;
  /** Every signed parameter, `sign` included. */
  params: Record<string, string>;
}

/**
 * The query Alipay appends to `return_url` after a mobile web payment (method `alipay.trade.wap.pay.return`),
 * verified. Only a hint for the page shown: the notify or a query settles the order.
 */
export interface WapReturn {
  outTradeNo: string;
  tradeNo: string;
  totalFen: number;
  appId: string;
  sellerId: string | undefined;
  /** The `timestamp` parameter, as a UTC instant. */
  timestamp: Date | null;
}

/**
 * alipay.trade.precreate (当面付 扫码支付, https://opendocs.alipay.com/open/8ad49e4a_alipay.trade.precreate): the
 * merchant gets a `qr_code` to show; the trade exists at Alipay only once a buyer scans it.
 */
export interface TradePrecreateInput {
  outTradeNo: string;
  totalFen: number;
  subject: string;
  /** When the code (and the trade, once scanned) expires; sent as `time_expire` in China time. */
  timeExpire?: Date;
  /** `FACE_TO_FACE_PAYMENT` unless set. */
  productCode?: string;
  body?: string;
  /** Overrides the client's default notify URL. */
  notifyUrl?: string;
}

export interface TradePrecreateResult {
  outTradeNo: string;
  /** The content to render as a QR code (a URL). */
  qrCode: string;
}

/**
 * alipay.open.app.mini.templatemessage.send (小程序发送模板消息, https://docs.alipay.com/mini/api/templatemessage): a
 * subscription message to a shopper who agreed to the template in the mini-program
 * (`my.requestSubscribeMessage({ entityIds })`; a one-time agreement allows one message).
 */
export interface TemplateMessageSendInput {
  /** The shopper's user id (`2088...`); give this or toOpenId, not both. */
  toUserId?: string;
  /** The shopper's open id (open-id mode apps). */
  toOpenId?: string;
  /** The template's id from the merchant console (领用的消息模板 id). */
  userTemplateId: string;
  /** The mini-program page the message opens, e.g. `pages/order/detail?id=42`. */
  page: string;
  /** Keyword to value (`{ keyword1: 'SO123', keyword2: '12.30元' }`); sent as `{"keyword1":{"value":"SO123"},...}`. */
  data: Readonly<Record<string, string>>;
}

export interface TemplateMessageSendResult {
  /** The gateway's trace id, for the record. */
  traceId: string | undefined;
}
