import { isErrorCode, type ErrorCode } from '@shop/contract';

/** Codes the client adds to the server's closed list: failures that never reached or never came from the API. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'SIGNED_OUT';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** An API call that failed: the HTTP status (0 when no answer), the code to switch on, the server's message. */
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
 * What the shopper reads for each code. The API's messages are for developers (English); the shop speaks zh-CN, so
 * it switches on the code and keeps the server's message for codes it has no words of its own for.
 */
const MESSAGES: Partial<Record<ApiErrorCode, string>> = {
  VALIDATION_ERROR: '提交的信息有误，请检查后重试',
  UNAUTHENTICATED: '请先登录',
  AUTH_CODE_INVALID: '支付宝授权已失效，请重新登录',
  SESSION_EXPIRED: '登录已过期，请重新登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已删除',
  CONFLICT: '操作冲突，请刷新后重试',
  IDEMPOTENCY_KEY_REUSED: '这笔订单已经提交过，请到“我的订单”查看',
  OUT_OF_STOCK: '库存不足',
  PRODUCT_UNAVAILABLE: '商品已下架',
  ORDER_STATE_CONFLICT: '订单状态已变化，请刷新后查看',
  ORDER_EXPIRED: '订单已超时关闭，请重新下单',
  ALREADY_PAID: '订单已支付',
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
  SIGNED_OUT: '你已退出登录',
};

/** Lets a page name the item an error is about (OUT_OF_STOCK and PRODUCT_UNAVAILABLE carry a skuId). */
export interface ErrorContext {
  itemName?: (skuId: string) => string | undefined;
}

function detail(details: unknown, key: string): unknown {
  return details && typeof details === 'object' ? (details as Record<string, unknown>)[key] : undefined;
}

/** The sentence to show for any failure: an ApiError by its code, a platform error by its own message. */
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
    if (error.code === 'VALIDATION_ERROR' && error.message) return `提交的信息有误：${error.message}`;
    return MESSAGES[error.code] ?? (error.message || '出错了，请稍后再试');
  }
  if (error instanceof Error && error.message) return error.message;
  return '出错了，请稍后再试';
}

/** The code of an ApiError, for pages that switch on it. */
export function errorCode(error: unknown): ApiErrorCode | null {
  return error instanceof ApiError ? error.code : null;
}
