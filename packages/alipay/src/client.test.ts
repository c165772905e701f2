import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlipayClient } from './client';
import { AlipayApiError, AlipayConnectionError, AlipayOutcomeUnknownError } from './errors';
import {
  mergeGatewayParams,
  signGatewayErrorResponse,
  signGatewayResponse,
  verifyGatewayRequest,
} from './gateway';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey } from './keys';
import { startLocalServer, type CapturedRequest, type LocalServer } from './test-support';
import type { TemplateMessageSendInput } from './types';
import type { ServerResponse } from 'node:http';

const app = generateRsaKeyPair();
const alipay = generateRsaKeyPair();
const alipayPrivate = loadPrivateKey(alipay.privateKeyPem);
const appPublic = loadPublicKey(app.publicKeyPem);

type Handler = (params: Record<string, string>, res: ServerResponse, request: CapturedRequest) => void;

let server: LocalServer;
let handler: Handler;

function answer(node: Record<string, unknown>): Handler {
  return (params, res) => {
    res.setHeader('trace_id', '0b7c1d2e');
    res.end(signGatewayResponse(params.method ?? '', node, alipayPrivate));
  };
}

function client(timeoutMs = 2000): AlipayClient {
  return new AlipayClient({
    appId: '9021000000000001',
    privateKey: app.privateKeyPem,
    alipayPublicKey: alipay.publicKeyPem,
    gateway: server.url,
    timeoutMs,
    notifyUrl: 'http://127.0.0.1:3000/api/alipay/notify',
  });
}

beforeAll(async () => {
  server = await startLocalServer((request, res) => {
    handler(mergeGatewayParams(request.query, request.body), res, request);
  });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

describe('AlipayClient typed methods', () => {
  it('tradeCreate sends fen as a yuan string, the buyer, time_expire in China time and the notify URL', async () => {
    handler = answer({ code: '10000', msg: 'Success', out_trade_no: 'O_1', trade_no: '2026112122001401' });
    const result = await client().tradeCreate({
      outTradeNo: 'O_1',
      totalFen: 1230,
      subject: 'T恤/短袖 = 2 & 袜子',
      buyerId: '2088000000000001',
      timeExpire: new Date('2026-11-21T10:15:00Z'),
    });
    expect(result).toEqual({ outTradeNo: 'O_1', tradeNo: '2026112122001401' });
    const request = server.requests[0]!;
    const params = mergeGatewayParams(request.query, request.body);
    expect(verifyGatewayRequest(params, appPublic)).toBe(true);
    expect(request.query.notify_url).toBe('http://127.0.0.1:3000/api/alipay/notify');
    expect(JSON.parse(request.body.biz_content!)).toEqual({
      out_trade_no: 'O_1',
      total_amount: '12.30',
      subject: 'T恤 短袖 2 袜子',
      product_code: 'JSAPI_PAY',
      buyer_id: '2088000000000001',
      time_expire: '2026-11-21 18:15:00',
    });
  });

  it('tradeQuery converts amounts to fen and times to UTC', async () => {
    handler = answer({
      code: '10000',
      msg: 'Success',
      trade_no: '2026112122001401',
      out_trade_no: 'O_1',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '12.30',
      receipt_amount: '12.30',
      buyer_pay_amount: '12.30',
      buyer_user_id: '2088000000000001',
      send_pay_date: '2026-11-21 18:20:00',
    });
    const result = await client().tradeQuery({ outTradeNo: 'O_1' });
    expect(result).toMatchObject({
      tradeStatus: 'TRADE_SUCCESS',
      totalFen: 1230,
      receiptFen: 1230,
      buyerUserId: '2088000000000001',
    });
    expect(result.sendPayDate?.toISOString()).toBe('2026-11-21T10:20:00.000Z');
  });

  it('tradeRefund reports the cumulative refund and whether money moved', async () => {
    handler = answer({
      code: '10000',
      msg: 'Success',
      trade_no: 'T',
      out_trade_no: 'O_1',
      refund_fee: '5.00',
      fund_change: 'Y',
    });
    const result = await client().tradeRefund({
      outTradeNo: 'O_1',
      refundFen: 500,
      outRequestNo: 'R_1',
      refundReason: '质量问题',
    });
    expect(result).toMatchObject({ refundFeeFen: 500, fundChange: true });
    expect(JSON.parse(server.requests[0]!.body.biz_content!)).toMatchObject({
      refund_amount: '5.00',
      out_request_no: 'R_1',
    });
  });

  it('refundQuery, tradeClose, billDownloadUrl and oauthToken read their nodes', async () => {
    handler = answer({
      code: '10000',
      msg: 'Success',
      out_request_no: 'R_1',
      refund_status: 'REFUND_SUCCESS',
      refund_amount: '5.00',
      total_amount: '12.30',
    });
    await expect(client().refundQuery({ outTradeNo: 'O_1', outRequestNo: 'R_1' })).resolves.toMatchObject({
      refundStatus: 'REFUND_SUCCESS',
      refundFen: 500,
      totalFen: 1230,
    });
    handler = answer({ code: '10000', msg: 'Success', out_trade_no: 'O_1', trade_no: 'T' });
    await expect(client().tradeClose({ outTradeNo: 'O_1' })).resolves.toEqual({
      outTradeNo: 'O_1',
      tradeNo: 'T',
    });
    handler = answer({ code: '10000', msg: 'Success', bill_download_url: 'http://127.0.0.1/bill.zip' });
    await expect(client().billDownloadUrl({ billType: 'trade', billDate: '2026-11-20' })).resolves.toEqual({
      billDownloadUrl: 'http://127.0.0.1/bill.zip',
    });
    // The oauth success node has no code/msg.
    handler = answer({
      user_id: '2088000000000001',
      open_id: 'o1',
      access_token: 'at',
      expires_in: 1296000,
      refresh_token: 'rt',
      re_expires_in: 2592000,
      auth_start: '2026-11-21 18:00:00',
    });
    await expect(client().oauthToken({ grantType: 'authorization_code', code: 'c1' })).resolves.toMatchObject(
      {
        userId: '2088000000000001',
        openId: 'o1',
        expiresInSeconds: 1296000,
      },
    );
    const oauth = server.requests.at(-1)!;
    expect(oauth.body).toEqual({ grant_type: 'authorization_code', code: 'c1' });
  });

  it('templateMessageSend sends the recipient, the template, the page and data as a JSON string of values', async () => {
    handler = answer({ code: '10000', msg: 'Success' });
    const result = await client().templateMessageSend({
      toUserId: '2088000000000001',
      userTemplateId: 'ZDZkZDZlYzBlZWJmNTVkYjg0MzdhNWI0ODk2OGZlMDM=',
      page: 'pages/order/detail?id=42',
      data: { keyword1: 'SO42', keyword2: '12.30元', keyword3: '引号"与\\反斜杠' },
    });
    expect(result).toEqual({ traceId: '0b7c1d2e' });
    const request = server.requests[0]!;
    const params = mergeGatewayParams(request.query, request.body);
    expect(params.method).toBe('alipay.open.app.mini.templatemessage.send');
    expect(verifyGatewayRequest(params, appPublic)).toBe(true);
    const biz = JSON.parse(request.body.biz_content!) as Record<string, string>;
    expect(biz).toEqual({
      to_user_id: '2088000000000001',
      user_template_id: 'ZDZkZDZlYzBlZWJmNTVkYjg0MzdhNWI0ODk2OGZlMDM=',
      page: 'pages/order/detail?id=42',
      data: expect.any(String) as string,
    });
    expect(JSON.parse(biz.data!)).toEqual({
      keyword1: { value: 'SO42' },
      keyword2: { value: '12.30元' },
      keyword3: { value: '引号"与\\反斜杠' },
    });

    await client().templateMessageSend({ toOpenId: 'o1', userTemplateId: 'T', page: 'p', data: { k: 'v' } });
    const byOpenId = JSON.parse(server.requests[1]!.body.biz_content!) as Record<string, string>;
    expect(byOpenId.to_open_id).toBe('o1');
    expect(byOpenId.to_user_id).toBeUndefined();
  });

  it('templateMessageSend surfaces a refusal as AlipayApiError and refuses bad input before sending', async () => {
    handler = answer({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'USER_NOT_SUBSCRIBED',
      sub_msg: '用户未订阅该消息模板',
    });
    const c = client();
    await expect(
      c.templateMessageSend({
        toUserId: '2088000000000001',
        userTemplateId: 'T',
        page: 'p',
        data: { k: 'v' },
      }),
    ).rejects.toMatchObject({ name: 'AlipayApiError', subCode: 'USER_NOT_SUBSCRIBED', outcome: 'failed' });
    server.requests.length = 0;
    const valid: TemplateMessageSendInput = { userTemplateId: 'T', page: 'p', data: { k: 'v' } };
    for (const input of [
      valid,
      { ...valid, toUserId: '2088000000000001', toOpenId: 'o1' },
      { ...valid, toUserId: '2088000000000001', userTemplateId: '' },
      { ...valid, toUserId: '2088000000000001', page: '' },
      { ...valid, toUserId: '2088000000000001', data: {} },
      { ...valid, toUserId: '2088000000000001', data: { '': 'v' } },
    ] satisfies TemplateMessageSendInput[]) {
      await expect(c.templateMessageSend(input)).rejects.toThrow(TypeError);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('rejects bad arguments before sending anything', async () => {
    handler = answer({ code: '10000' });
    const c = client();
    await expect(
      c.tradeCreate({ outTradeNo: 'has space', totalFen: 100, subject: 's', buyerId: '2088' }),
    ).rejects.toThrow(TypeError);
    await expect(
      c.tradeCreate({ outTradeNo: 'O', totalFen: 0, subject: 's', buyerId: '2088' }),
    ).rejects.toThrow(TypeError);
    await expect(
      c.tradeCreate({ outTradeNo: 'O', totalFen: 1.5, subject: 's', buyerId: '2088' }),
    ).rejects.toThrow(TypeError);
    await expect(
      c.tradeRefund({ outTradeNo: 'O', refundFen: 100, outRequestNo: 'x'.repeat(65) }),
    ).rejects.toThrow(TypeError);
    await expect(c.billDownloadUrl({ billType: 'trade', billDate: '20261120' })).rejects.toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('AlipayClient errors', () => {
  it('a business error carries code, msg, sub_code, sub_msg and the trace id, as a definite failure', async () => {
    handler = answer({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.TRADE_NOT_EXIST',
      sub_msg: '交易不存在',
    });
    const error = await client()
      .tradeQuery({ outTradeNo: 'O_X' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlipayApiError);
    expect(error).toMatchObject({
      code: '40004',
      subCode: 'ACQ.TRADE_NOT_EXIST',
      subMsg: '交易不存在',
      traceId: '0b7c1d2e',
      outcome: 'failed',
    });
  });

  it('an early error_response is a definite failure even unsigned', async () => {
    handler = (_params, res) =>
      res.end(
        '{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.code-invalid","sub_msg":"授权码code无效"}}',
      );
    await expect(
      client().oauthToken({ grantType: 'authorization_code', code: 'used' }),
    ).rejects.toMatchObject({
      name: 'AlipayApiError',
      subCode: 'isv.code-invalid',
      outcome: 'failed',
    });
    handler = (_params, res) =>
      res.end(
        signGatewayErrorResponse(
          { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature' },
          alipayPrivate,
        ),
      );
    await expect(client().tradeQuery({ outTradeNo: 'O' })).rejects.toMatchObject({
      subCode: 'isv.invalid-signature',
    });
  });

  it('20000 isp.unknow-error is an unknown outcome', async () => {
    handler = answer({
      code: '20000',
      msg: 'Service Currently Unavailable',
      sub_code: 'isp.unknow-error',
      sub_msg: '系统繁忙',
    });
    await expect(
      client().tradeRefund({ outTradeNo: 'O', refundFen: 1, outRequestNo: 'R' }),
    ).rejects.toMatchObject({
      name: 'AlipayApiError',
      outcome: 'unknown',
    });
  });

  it('a gateway that hangs past the deadline gives an unknown outcome (timeout)', async () => {
    handler = () => undefined; // never answers
    const error = await client(300)
      .tradeRefund({ outTradeNo: 'O', refundFen: 1, outRequestNo: 'R' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlipayOutcomeUnknownError);
    expect(error).toMatchObject({ reason: 'timeout', outcome: 'unknown' });
  });

  it('a connection dropped after the request was read gives an unknown outcome', async () => {
    handler = (_params, res) => res.socket?.destroy();
    await expect(
      client().tradeRefund({ outTradeNo: 'O', refundFen: 1, outRequestNo: 'R' }),
    ).rejects.toMatchObject({
      name: 'AlipayOutcomeUnknownError',
      reason: 'connection-lost',
    });
  });

  it('a response cut off in the middle gives an unknown outcome', async () => {
    handler = (_params, res) => {
      res.setHeader('content-length', '500');
      res.write('{"alipay_trade_refund_response":{"code":"10000"');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    await expect(
      client().tradeRefund({ outTradeNo: 'O', refundFen: 1, outRequestNo: 'R' }),
    ).rejects.toMatchObject({ name: 'AlipayOutcomeUnknownError', reason: 'connection-lost' });
  });

  it('keeps the connection open between calls, and survives the server closing it', async () => {
    const ports: number[] = [];
    const reply = answer({ code: '10000', msg: 'Success', out_trade_no: 'O', trade_no: 'T' });
    handler = (params, res, request) => {
      ports.push(request.remotePort);
      reply(params, res, request);
    };
    const c = client();
    await c.tradeClose({ outTradeNo: 'O' });
    await c.tradeClose({ outTradeNo: 'O' });
    expect(ports).toHaveLength(2);
    expect(ports[1]).toBe(ports[0]);
    // The server drops its idle connections (a restart, an idle timeout): the next call opens a new one.
    server.closeIdle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await c.tradeClose({ outTradeNo: 'O' });
    expect(ports[2]).not.toBe(ports[0]);
    c.close();
  });

  it('a refused connection is a definite failure: nothing was sent', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const c = new AlipayClient({
      appId: '9021000000000001',
      privateKey: app.privateKeyPem,
      alipayPublicKey: alipay.publicKeyPem,
      gateway: `http://127.0.0.1:${port}/gateway.do`,
    });
    const error = await c.tradeQuery({ outTradeNo: 'O' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlipayConnectionError);
    expect(error).toMatchObject({ outcome: 'failed' });
  });

  it('a forged, unsigned or unreadable response is an unknown outcome, never a success', async () => {
    const other = loadPrivateKey(generateRsaKeyPair().privateKeyPem);
    handler = (params, res) =>
      res.end(
        signGatewayResponse(
          params.method ?? '',
          { code: '10000', msg: 'Success', out_trade_no: 'O', trade_no: 'T' },
          other,
        ),
      );
    await expect(client().tradeClose({ outTradeNo: 'O' })).rejects.toMatchObject({ reason: 'bad-signature' });
    handler = (_params, res) => res.end('{"alipay_trade_close_response":{"code":"10000","msg":"Success"}}');
    await expect(client().tradeClose({ outTradeNo: 'O' })).rejects.toMatchObject({ reason: 'bad-signature' });
    handler = (_params, res) => res.end('<html>502 Bad Gateway</html>');
    await expect(client().tradeClose({ outTradeNo: 'O' })).rejects.toMatchObject({ reason: 'bad-response' });
    handler = (_params, res) => {
      res.statusCode = 502;
      res.end('bad gateway');
    };
    await expect(client().tradeClose({ outTradeNo: 'O' })).rejects.toMatchObject({ reason: 'http-status' });
    handler = answer({
      code: '10000',
      msg: 'Success',
      trade_no: 'T',
      out_trade_no: 'O',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '12.3456',
    });
    await expect(client().tradeQuery({ outTradeNo: 'O' })).rejects.toMatchObject({ reason: 'bad-response' });
  });
});
