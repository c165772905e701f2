import Taro from '@tarojs/taro';

import type { HttpResponse, Transport } from './client';

/**
 * The app's transport: Taro.request (fetch on H5, my.request on Alipay). Alipay's my.request calls `fail` for a
 * non-2xx status (error 19) and still carries `status` and `data`; that is an answer from the API, not a network
 * failure, so it is handed back as a response like any other.
 */
export const taroTransport: Transport = async (request) => {
  try {
    const response = await Taro.request({
      url: request.url,
      method: request.method,
      header: request.headers,
      data: request.body as Record<string, unknown> | undefined,
      dataType: 'json',
      timeout: 20_000,
    });
    return { status: response.statusCode, body: response.data as unknown };
  } catch (error) {
    const answered = answeredFailure(error);
    if (answered) return answered;
    throw error instanceof Error ? error : new Error(describe(error));
  }
};

function answeredFailure(error: unknown): HttpResponse | null {
  if (!error || typeof error !== 'object') return null;
  const { status, statusCode, data } = error as { status?: unknown; statusCode?: unknown; data?: unknown };
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : null;
  if (code === null || code === 0) return null;
  return { status: code, body: parseMaybe(data) };
}

function parseMaybe(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const { errMsg, errorMessage } = error as { errMsg?: unknown; errorMessage?: unknown };
    if (typeof errMsg === 'string') return errMsg;
    if (typeof errorMessage === 'string') return errorMessage;
  }
  return 'request failed';
}
