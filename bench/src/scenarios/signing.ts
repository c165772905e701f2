import { readFileSync } from 'node:fs';
import { AlipayClient, loadPrivateKey, loadPublicKey, signNotify, verifyNotify } from '@shop/alipay';
import type { DevKeyFiles } from '@shop/dev-identity';
import { DEV_APP_ID } from '@shop/dev-identity';
import { AlipaySdk } from 'alipay-sdk';
import { Bench } from 'tinybench';

/**
 * `@shop/alipay` against the official `alipay-sdk` in this process, with the same keys and the same content, each
 * used the way it is meant to be used:
 * - sign: a complete signed gateway request for alipay.trade.create (AlipayClient.buildRequest against
 *   AlipaySdk.sdkExecute): canonical string, RSA2 signature, encoded parameters;
 * - verify: an async notify's signature (verifyNotify against AlipaySdk.checkNotifySignV2).
 * Ours parses each key once into a KeyObject; alipay-sdk keeps PEM text and node:crypto parses it on every call. That
 * difference is part of what is measured, because it is how each library works.
 */

export interface SigningTask {
  id: 'ours-sign' | 'sdk-sign' | 'ours-verify' | 'sdk-verify';
  title: string;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

export interface SigningResult {
  tasks: SigningTask[];
  /** ours / alipay-sdk, operations per second. */
  signRatio: number;
  verifyRatio: number;
}

const BIZ_CONTENT = {
  out_trade_no: '20261121153012000123',
  total_amount: '199.00',
  subject: '纯棉圆领 T恤 等3件',
  buyer_id: '2088000000000001',
  product_code: 'JSAPI_PAY',
  time_expire: '2026-11-21 15:45:12',
};

const NOTIFY_URL = 'https://shop.example.com/api/alipay/notify';

export async function signingScenario(keys: DevKeyFiles, durationSec: number): Promise<SigningResult> {
  const appPrivatePem = readFileSync(keys.appPrivate, 'utf8');
  const alipayPrivatePem = readFileSync(keys.alipayPrivate, 'utf8');
  const alipayPublicPem = readFileSync(keys.alipayPublic, 'utf8');
  const gateway = 'http://127.0.0.1:9/gateway.do';

  const ours = new AlipayClient({
    appId: DEV_APP_ID,
    privateKey: appPrivatePem,
    alipayPublicKey: alipayPublicPem,
    gateway,
  });
  const sdk = new AlipaySdk({
    appId: DEV_APP_ID,
    privateKey: appPrivatePem,
    keyType: 'PKCS8',
    alipayPublicKey: alipayPublicPem,
    gateway,
  });
  const alipayPublic = loadPublicKey(alipayPublicPem);
  const notify = signNotify(
    {
      notify_time: '2026-11-21 15:31:02',
      notify_type: 'trade_status_sync',
      notify_id: '2026112100222153102012345678901234',
      app_id: DEV_APP_ID,
      charset: 'utf-8',
      version: '1.0',
      trade_no: '2026112122001404761234567890',
      out_trade_no: BIZ_CONTENT.out_trade_no,
      buyer_id: BIZ_CONTENT.buyer_id,
      trade_status: 'TRADE_SUCCESS',
      total_amount: BIZ_CONTENT.total_amount,
      subject: BIZ_CONTENT.subject,
      gmt_create: '2026-11-21 15:30:12',
      gmt_payment: '2026-11-21 15:31:01',
    },
    loadPrivateKey(alipayPrivatePem),
  );

  const tasks: Record<SigningTask['id'], { title: string; fn: () => unknown }> = {
    'ours-sign': {
      title: 'sign: @shop/alipay buildRequest',
      fn: () => ours.buildRequest('alipay.trade.create', { bizContent: BIZ_CONTENT, notifyUrl: NOTIFY_URL }),
    },
    'sdk-sign': {
      title: 'sign: alipay-sdk sdkExecute',
      fn: () =>
        sdk.sdkExecute(
          'alipay.trade.create',
          { bizContent: BIZ_CONTENT, notifyUrl: NOTIFY_URL },
          { bizContentAutoSnakeCase: false },
        ),
    },
    'ours-verify': {
      title: 'verify: @shop/alipay verifyNotify',
      fn: () => verifyNotify(notify, alipayPublic),
    },
    'sdk-verify': { title: 'verify: alipay-sdk checkNotifySignV2', fn: () => sdk.checkNotifySignV2(notify) },
  };
  // Both must accept the notify, or the comparison would time a failure path.
  if (!verifyNotify(notify, alipayPublic) || !sdk.checkNotifySignV2(notify)) {
    throw new Error('the signing benchmark notify does not verify');
  }

  // Two rounds in opposite orders, so a machine that slows down or speeds up during the run favours neither side.
  const ids = Object.keys(tasks) as Array<SigningTask['id']>;
  const rounds = [ids, [...ids].reverse()];
  const totals = new Map<SigningTask['id'], { timeMs: number; runs: number; p50: number[]; p99: number[] }>();
  for (const order of rounds) {
    const bench = new Bench({
      time: (durationSec * 1000) / (ids.length * rounds.length),
      warmupTime: 200,
      throws: true,
    });
    for (const id of order) bench.add(id, tasks[id].fn);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`signing task ${task.name} ended ${result.state}`);
      const total = totals.get(task.name as SigningTask['id']) ?? { timeMs: 0, runs: 0, p50: [], p99: [] };
      total.timeMs += result.totalTime;
      total.runs += Math.round(result.totalTime / result.period);
      total.p50.push(result.latency.p50);
      total.p99.push(result.latency.p99);
      totals.set(task.name as SigningTask['id'], total);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const out: SigningTask[] = ids.map((id) => {
    const total = totals.get(id)!;
    return {
      id,
      title: tasks[id].title,
      opsPerSec: (total.runs / total.timeMs) * 1000,
      p50Ms: mean(total.p50),
      p99Ms: mean(total.p99),
      samples: total.runs,
    };
  });
  const rate = (id: SigningTask['id']) => out.find((t) => t.id === id)!.opsPerSec;
  return {
    tasks: out,
    signRatio: rate('ours-sign') / rate('sdk-sign'),
    verifyRatio: rate('ours-verify') / rate('sdk-verify'),
  };
}
