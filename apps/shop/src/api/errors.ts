import { formatFen, isErrorCode, type ErrorCode } from '@shop/contract';

import { PlatformError } from '../platform/types';

/**
 * Codes the client adds to the server's closed list: failures that never reached or never came from the API, and
 * calls that need a sign-in the shopper has not given (signed out, or back from the sign-in page without one).
 */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'SIGNED_OUT' | 'SIGN_IN_REQUIRED';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/**
 * An API call that failed: the HTTP status (0 when no answer), the code to switch on, and the server's message,
 * which is developer English for logs and never shown (see `errorMessage`).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Turns a non-2xx answer into an ApiError, reading the API's `{ error: { code, message, details } }`. */
export function errorFromResponse(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && isErrorCode(error.code)) {
    return new ApiError(
      status,
      error.code,
      typeof error.message === 'string' ? error.message : '',
      error.details,
    );
  }
  return new ApiError(status, status >= 500 ? 'INTERNAL_ERROR' : 'BAD_RESPONSE', `HTTP ${status}`, body);
}

/**
 * A failure the shop itself describes, in words for the shopper (a link without an order id, a spec that no longer
 * exists). Only these, platform errors and the words below by code ever reach the screen.
 */
export class ShopError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShopError';
  }
}

/**
 * What the shopper reads for each code. The API's `code` is the contract and the shop owns the words: the server's
 * `message` is developer English and is never shown. Total over every code, so a new one fails the typecheck.
 */
const MESSAGES: Record<ApiErrorCode, string> = {
  VALIDATION_ERROR: '提交的信息有误，请检查后重试',
  UNAUTHENTICATED: '请先登录',
  AUTH_CODE_INVALID: '支付宝授权已失效，请重新登录',
  SESSION_EXPIRED: '登录已过期，请重新登录',
  INVALID_CREDENTIALS: '账号或密码错误',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已删除',
  METHOD_NOT_ALLOWED: '暂不支持此操作',
  PAYLOAD_TOO_LARGE: '提交的内容太长，请精简后重试',
  UNSUPPORTED_MEDIA_TYPE: '提交的内容格式有误，请稍后再试',
  CONFLICT: '操作冲突，请刷新后重试',
  IDEMPOTENCY_KEY_REUSED: '这笔订单已经提交过，请到“我的订单”查看',
  OUT_OF_STOCK: '库存不足',
  PRODUCT_UNAVAILABLE: '商品已下架',
  ORDER_STATE_CONFLICT: '订单状态已变化，请刷新后查看',
  ORDER_EXPIRED: '订单已超时关闭，请重新下单',
  AFTER_SALE_STATE_CONFLICT: '售后申请状态已变化，请刷新后再试',
  AFTER_SALE_OPEN: '该订单已有处理中的售后申请',
  UNSUPPORTED_IMAGE: '图片格式不支持，请上传 JPG、PNG 或 WebP 图片',
  ALREADY_PAID: '订单已支付',
  PAYMENT_METHOD_CONFLICT: '这笔订单已在支付宝中发起付款，请在支付宝中完成支付',
  PAYMENT_RETURN_INVALID: '支付结果校验失败，请以订单状态为准',
  REFUND_EXCEEDS_PAID: '退款金额超过可退金额',
  CART_EMPTY: '请先选择要结算的商品',
  CART_LIMIT: '购物车已满，请先清理部分商品',
  ADDRESS_LIMIT: '收货地址已达上限，请先删除不用的地址',
  TOO_MANY_REQUESTS: '操作太频繁，请稍后再试',
  INTERNAL_ERROR: '服务器开小差了，请稍后再试',
  PAYMENT_GATEWAY_ERROR: '支付宝暂时无法创建这笔支付，请稍后再试',
  PAYMENT_OUTCOME_UNKNOWN: '支付宝暂未响应，请稍后重试',
  PAYMENT_GATEWAY_UNAVAILABLE: '暂时无法连接支付宝，请稍后再试',
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  BAD_RESPONSE: '服务器返回了无法识别的结果，请稍后再试',
  SIGNED_OUT: '你已退出登录，请先登录',
  SIGN_IN_REQUIRED: '请先登录',
};

/** Lets a page name the item an error is about (OUT_OF_STOCK and PRODUCT_UNAVAILABLE carry a skuId). */
export interface ErrorContext {
  itemName?: (skuId: string) => string | undefined;
}

function detail(details: unknown, key: string): unknown {
  return details && typeof details === 'object' ? (details as Record<string, unknown>)[key] : undefined;
}

/**
 * The sentence to show for any failure: an ApiError by its code (with the item and the stock left for
 * OUT_OF_STOCK), a platform error or a ShopError by its own words, anything else (a bug's TypeError, say) as a
 * plain apology, never its text.
 */
export function errorMessage(error: unknown, context: ErrorContext = {}): string {
  if (error instanceof ApiError) {
    const skuId = detail(error.details, 'skuId');
    const name = typeof skuId === 'string' ? context.itemName?.(skuId) : undefined;
    if (error.code === 'OUT_OF_STOCK') {
      const available = detail(error.details, 'available');
      const left =
        typeof available === 'number' ? (available > 0 ? `，仅剩 ${available} 件` : '，已售罄') : '';
      return `${name ? `“${name}”` : '商品'}库存不足${left}`;
    }
    if (error.code === 'PRODUCT_UNAVAILABLE' && name) return `“${name}”已下架`;
    const refundable = detail(error.details, 'refundableFen');
    if (error.code === 'REFUND_EXCEEDS_PAID' && typeof refundable === 'number') {
      return refundable > 0 ? `超出可退金额，最多可退 ${formatFen(refundable)}` : '该订单已无可退金额';
    }
    return MESSAGES[error.code];
  }
  if ((error instanceof PlatformError || error instanceof ShopError) && error.message) return error.message;
  return '出错了，请稍后再试';
}

/** Whether the way past this failure is signing in (the page offers 登录 rather than 重试). */
export function needsSignIn(error: unknown): boolean {
  if (error instanceof PlatformError) return error.code === 'USER_CANCELLED';
  const code = errorCode(error);
  return code === 'SIGNED_OUT' || code === 'SIGN_IN_REQUIRED';
}

/** The code of an ApiError, for pages that switch on it. */
export function errorCode(error: unknown): ApiErrorCode | null {
  return error instanceof ApiError ? error.code : null;
}
