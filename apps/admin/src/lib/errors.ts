import { formatFen, ORDER_STATUSES, type OrderStatus } from '@shop/contract';

import { type ApiError, type ApiErrorCode } from './api-client';
import { ORDER_STATUS_LABELS } from './labels';

/**
 * What a failed call says to the merchant, in zh-CN: a headline chosen by the error code and, under it, a detail
 * built from the code and its `details` (the fields at fault, the amount still refundable, the order's status now).
 * The API's `code` is the contract and the admin owns the words: the server's `message` is developer English for
 * logs and never shown. Pages switch on codes, never on message text.
 */
const HEADLINES: Record<ApiErrorCode, string> = {
  NETWORK_ERROR: '无法连接服务器',
  BAD_RESPONSE: '服务器应答异常',
  VALIDATION_ERROR: '输入有误',
  UNAUTHENTICATED: '请先登录',
  AUTH_CODE_INVALID: '支付宝授权已失效',
  SESSION_EXPIRED: '登录已过期，请重新登录',
  INVALID_CREDENTIALS: '用户名或密码错误',
  FORBIDDEN: '没有权限执行此操作',
  NOT_FOUND: '找不到该记录',
  METHOD_NOT_ALLOWED: '不支持此操作',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '提交的内容格式有误',
  CONFLICT: '操作冲突',
  ORDER_STATE_CONFLICT: '订单状态已变化，无法执行此操作',
  ORDER_EXPIRED: '订单已超时关闭',
  AFTER_SALE_STATE_CONFLICT: '售后申请状态已变化，请刷新后再试',
  AFTER_SALE_OPEN: '该订单已有处理中的售后申请',
  UNSUPPORTED_IMAGE: '图片格式不支持，请上传 JPG、PNG 或 WebP 图片',
  ALREADY_PAID: '订单已支付',
  PAYMENT_METHOD_CONFLICT: '买家已在支付宝中发起付款，请等待买家完成',
  PAYMENT_RETURN_INVALID: '支付结果校验失败',
  REFUND_EXCEEDS_PAID: '退款金额超过可退金额',
  OUT_OF_STOCK: '库存不足',
  PRODUCT_UNAVAILABLE: '商品已下架',
  IDEMPOTENCY_KEY_REUSED: '重复提交的请求内容不一致',
  CART_EMPTY: '购物车为空',
  CART_LIMIT: '购物车已满',
  ADDRESS_LIMIT: '收货地址已达上限',
  TOO_MANY_REQUESTS: '尝试次数过多',
  PAYMENT_GATEWAY_ERROR: '支付宝拒绝了该请求',
  PAYMENT_OUTCOME_UNKNOWN: '支付宝暂未返回结果，系统会自动核实',
  PAYMENT_GATEWAY_UNAVAILABLE: '暂时无法连接支付宝',
  INTERNAL_ERROR: '服务器内部错误',
};

export function errorHeadline(code: ApiErrorCode): string {
  return HEADLINES[code];
}

/** The names of the fields the admin's forms send, for VALIDATION_ERROR's list of fields at fault. */
const FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  password: '密码',
  displayName: '显示名称',
  amountFen: '退款金额',
  reason: '原因',
  carrier: '快递公司',
  trackingNo: '运单号',
  title: '商品名称',
  subtitle: '副标题',
  description: '商品描述',
  categoryId: '分类',
  specs: '规格',
  skus: '规格与库存',
  priceFen: '价格',
  stock: '库存',
  deltaQty: '库存变动',
  images: '图片',
  imageCount: '图片数量',
  note: '处理说明',
  billDate: '对账日期',
  from: '开始日期',
  to: '结束日期',
  q: '关键词',
  status: '状态',
  page: '页码',
  pageSize: '每页条数',
};

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** `body.skus.0.priceFen` -> 价格; a path of no field we know -> null. */
function fieldLabel(path: string): string | null {
  const parts = path.split('.').filter((part) => !/^\d+$/.test(part));
  for (let i = parts.length - 1; i >= 0; i--) {
    const label = FIELD_LABELS[parts[i] as string];
    if (label !== undefined) return label;
  }
  return null;
}

function statusLabel(status: unknown): string | null {
  return typeof status === 'string' && (ORDER_STATUSES as readonly string[]).includes(status)
    ? ORDER_STATUS_LABELS[status as OrderStatus].label
    : null;
}

/** Words a page puts under a code where only it knows what the code means there (CONFLICT on its own form). */
export type ErrorWords = Partial<Record<ApiErrorCode, string>>;

/** The detail under the headline: from the code and its details only, or null when there is nothing to add. */
export function errorDetail(error: ApiError, words: ErrorWords = {}): string | null {
  const own = words[error.code];
  if (own !== undefined) return own;
  const details = record(error.details);
  switch (error.code) {
    case 'VALIDATION_ERROR': {
      const fields = Array.isArray(details.fields) ? details.fields : [];
      const labels = [
        ...new Set(
          fields.map((field) => {
            const path = record(field).path;
            return typeof path === 'string' ? fieldLabel(path) : null;
          }),
        ),
      ].filter((label): label is string => label !== null);
      if (typeof details.max === 'number') return `一次最多导出 ${details.max} 条，请缩小日期或状态范围`;
      return labels.length > 0 ? `请检查：${labels.join('、')}` : '请检查填写的内容';
    }
    case 'REFUND_EXCEEDS_PAID':
      return typeof details.refundableFen === 'number'
        ? `这笔订单最多还可退 ${formatFen(details.refundableFen)}`
        : null;
    case 'ORDER_STATE_CONFLICT': {
      const status = statusLabel(details.status);
      return status === null ? '请刷新页面查看订单的最新状态' : `订单当前状态：${status}`;
    }
    case 'OUT_OF_STOCK':
      return typeof details.stock === 'number' ? `当前库存 ${details.stock} 件` : null;
    case 'TOO_MANY_REQUESTS':
      return error.retryAfterSeconds === null ? '请稍后再试' : `请在 ${error.retryAfterSeconds} 秒后再试`;
    case 'CONFLICT':
      return '数据已被修改或正在处理，请刷新后重试';
    case 'FORBIDDEN':
      return '当前账号的角色不能执行此操作，请联系店主';
    case 'NOT_FOUND':
      return '它可能已被删除，或链接有误';
    case 'NETWORK_ERROR':
      return '请检查网络，或确认后台服务已启动';
    case 'PAYMENT_GATEWAY_ERROR':
      return typeof details.subCode === 'string' ? `支付宝错误码 ${details.subCode}` : null;
    case 'BAD_RESPONSE':
    case 'INTERNAL_ERROR':
      return '请稍后重试；问题持续时请联系技术支持';
    default:
      return null;
  }
}

/** Headline and detail on one line, for a place with room for one sentence. */
export function errorText(error: ApiError, words: ErrorWords = {}): string {
  const detail = errorDetail(error, words);
  return detail === null ? errorHeadline(error.code) : `${errorHeadline(error.code)}：${detail}`;
}
