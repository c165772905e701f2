import { Router } from '@koa/router';
import {
  charsetFromContentType,
  charsetFromFormBody,
  mergeGatewayParams,
  parseForm,
  signGatewayErrorResponse,
  signGatewayResponse,
} from '@shop/alipay';
import iconv from 'iconv-lite';
import type { Context } from 'koa';
import { signerFor } from '../certs/certs.service';
import type { Deps } from '../deps';
import { BusinessError } from '../errors';
import { takeGatewayFault, type GatewayFault } from '../faults/faults';
import { readRawBody } from '../http/body';
import { errorPage } from '../pages/html';
import { newTraceId } from '../ids';
import { authenticate } from './authenticate';
import { businessFailed, GatewayError, invalidArgument, serviceUnavailable } from './gateway-error';
import type { MethodHandler } from './method';
import { handlePageRequest, PAGE_METHODS } from './page-methods';
import { alipayCertDownload } from './methods/alipaycert-download';
import { billDownloadUrl } from './methods/bill-downloadurl';
import { oauthToken } from './methods/oauth-token';
import { refundQuery } from './methods/refund-query';
import { templateMessageSend } from './methods/templatemessage-send';
import { tradeClose } from './methods/trade-close';
import { tradeCreate } from './methods/trade-create';
import { tradePrecreate } from './methods/trade-precreate';
import { tradeQuery } from './methods/trade-query';
import { tradeRefund } from './methods/trade-refund';

/**
 * `POST /gateway.do`: Alipay's v2 gateway. Protocol parameters may come in the query (as the Node SDK sends them)
 * or the form body; both are decoded in the request's charset and merged before verification. Every answer is
 * HTTP 200 with a signed JSON body and a `trace_id` header, as Alipay answers.
 */

export const METHODS: Readonly<Record<string, MethodHandler>> = {
  'alipay.system.oauth.token': oauthToken,
  'alipay.trade.create': tradeCreate,
  'alipay.trade.query': tradeQuery,
  'alipay.trade.close': tradeClose,
  'alipay.trade.refund': tradeRefund,
  'alipay.trade.fastpay.refund.query': refundQuery,
  'alipay.data.dataservice.bill.downloadurl.query': billDownloadUrl,
  'alipay.trade.precreate': tradePrecreate,
  'alipay.open.app.alipaycert.download': alipayCertDownload,
  'alipay.open.app.mini.templatemessage.send': templateMessageSend,
};
const KNOWN_METHODS = new Set(Object.keys(METHODS));

// GB2312 is a subset of GBK; answers to either are encoded as GBK.
const CHARSETS: Readonly<Record<string, string>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  gbk: 'gbk',
  gb2312: 'gbk',
};

function send(ctx: Context, text: string, charset: string): void {
  ctx.status = 200;
  ctx.body = charset === 'utf-8' ? text : iconv.encode(text, charset);
  ctx.set('Content-Type', `application/json;charset=${charset}`);
}

/** Holds a request until `holdMs` passes or the client hangs up; true when the client is still there. */
function hold(ctx: Context, holdMs: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = holdMs === undefined ? undefined : setTimeout(() => finish(true), holdMs);
    const onClose = () => finish(false);
    function finish(stillThere: boolean) {
      clearTimeout(timer);
      ctx.res.off('close', onClose);
      resolve(stillThere && !ctx.req.socket.destroyed);
    }
    ctx.res.on('close', onClose);
  });
}

export function gatewayRouter(deps: Deps): Router {
  const router = new Router();
  router.post('/gateway.do', async (ctx) => {
    const started = Date.now();
    const traceId = newTraceId();
    ctx.set('trace_id', traceId);
    const raw = await readRawBody(ctx, '2mb');
    const named =
      charsetFromFormBody(ctx.querystring) ??
      charsetFromFormBody(raw) ??
      charsetFromContentType(ctx.get('content-type'));
    const charset = CHARSETS[(named ?? 'utf-8').toLowerCase()];
    const log = deps.logger.child({ traceId });
    if (!charset) {
      const text = signGatewayErrorResponse(
        { ...invalidArgument('isv.invalid-charset', '无效的字符集').node },
        deps.alipayPrivateKey,
      );
      send(ctx, text, 'utf-8');
      log.info({ charset: named, code: '40002', subCode: 'isv.invalid-charset' }, 'gateway call');
      return;
    }
    const params = mergeGatewayParams(parseForm(ctx.querystring, charset), parseForm(raw, charset));
    if (PAGE_METHODS.has(params.method ?? '')) {
      handlePageRequest(deps, ctx, params, charset);
      return;
    }
    let method: string | undefined;
    let fault: GatewayFault | null = null;
    let node: Record<string, unknown>;
    let errorResponse = false;
    try {
      const call = authenticate(deps, params, charset, KNOWN_METHODS);
      method = call.method;
      fault = takeGatewayFault(deps, call.method);
      if (fault?.kind === 'gateway-error') throw serviceUnavailable();
      if (fault?.kind === 'gateway-hang') {
        const stillThere = await hold(ctx, fault.holdMs);
        if (!stillThere) {
          ctx.respond = false;
          log.warn({ method, fault }, 'gateway call held until the client gave up; nothing applied');
          return;
        }
        throw serviceUnavailable();
      }
      node = (METHODS[call.method] as MethodHandler)(deps, call);
    } catch (error) {
      let gatewayError: GatewayError;
      if (error instanceof GatewayError) gatewayError = error;
      else if (error instanceof BusinessError) gatewayError = businessFailed(error.subCode, error.subMsg);
      else {
        log.error({ err: error, method }, 'gateway method failed');
        gatewayError = serviceUnavailable();
      }
      node = { ...gatewayError.node };
      errorResponse = gatewayError.errorResponse;
    }
    // Errors for a known method go under its own key; the rest (and oauth's code errors) under error_response.
    const keyMethod = errorResponse
      ? undefined
      : (method ?? (KNOWN_METHODS.has(params.method ?? '') ? params.method : undefined));
    // Certificate-mode apps get answers signed under Alipay's current certificate, named by alipay_cert_sn.
    const signer = signerFor(deps, params.app_id ? deps.store.accounts.findApp(params.app_id) : undefined);
    const text = keyMethod
      ? signGatewayResponse(keyMethod, node, signer.key, { alipayCertSn: signer.alipayCertSn })
      : signGatewayErrorResponse(node, signer.key, { alipayCertSn: signer.alipayCertSn });
    const summary = {
      method: params.method,
      appId: params.app_id,
      code: typeof node.code === 'string' ? node.code : '10000',
      subCode: node.sub_code,
      durationMs: Date.now() - started,
      fault: fault?.kind,
    };
    if (fault?.kind === 'gateway-drop-after-apply') {
      // The call is applied; the client never hears back (the outcome it cannot know).
      ctx.respond = false;
      ctx.req.socket.destroy();
      log.warn(summary, 'gateway call applied, connection dropped without answering');
      return;
    }
    send(ctx, text, charset);
    log.info(summary, 'gateway call');
  });

  // Page methods arrive by GET too: the browser follows the signed URL (alipay-sdk's pageExec with method GET).
  router.get('/gateway.do', (ctx) => {
    const charset = CHARSETS[(charsetFromFormBody(ctx.querystring) ?? 'utf-8').toLowerCase()] ?? 'utf-8';
    const params = parseForm(ctx.querystring, charset);
    if (PAGE_METHODS.has(params.method ?? '')) {
      handlePageRequest(deps, ctx, params, charset);
      return;
    }
    ctx.status = 405;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = errorPage(
      '支付宝',
      `错误代码 isv.invalid-method 错误原因: ${params.method ?? '缺少方法名'} 不是页面接口，请用 POST 调用`,
    );
  });
  return router;
}
