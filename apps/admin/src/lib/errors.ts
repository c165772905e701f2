import { type ApiErrorCode } from './api-client';

/**
 * What a failed call says to the merchant: a zh-CN headline chosen by the error code (the pages switch on codes,
 * never on message text) and the server's own message under it, which names the specific problem.
 */
const HEADLINES: Partial<Record<ApiErrorCode, string>> = {
  NETWORK_ERROR: '无法连接服务器',
  BAD_RESPONSE: '服务器应答异常',
  VALIDATION_ERROR: '输入有误',
  UNAUTHENTICATED: '请先登录',
  SESSION_EXPIRED: '登录已过期，请重新登录',
  INVALID_CREDENTIALS: '用户名或密码错误',
  FORBIDDEN: '没有权限执行此操作',
  NOT_FOUND: '找不到该记录',
  CONFLICT: '操作冲突',
  ORDER_STATE_CONFLICT: '订单状态已变化，无法执行此操作',
  REFUND_EXCEEDS_PAID: '退款金额超过可退金额',
  OUT_OF_STOCK: '库存不足',
  IDEMPOTENCY_KEY_REUSED: '重复提交的请求内容不一致',
  TOO_MANY_REQUESTS: '尝试次数过多',
  PAYMENT_GATEWAY_ERROR: '支付宝拒绝了该请求',
  PAYMENT_OUTCOME_UNKNOWN: '支付宝暂未返回结果，系统会自动核实',
  PAYMENT_GATEWAY_UNAVAILABLE: '暂时无法连接支付宝',
  INTERNAL_ERROR: '服务器内部错误',
};

export function errorHeadline(code: ApiErrorCode): string {
  return HEADLINES[code] ?? '操作失败';
}
