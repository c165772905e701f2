import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { signUpShopper } from '../payment/test-support';
import { reconcileCli } from './cli';
import { paidOrder, today, type PaidOrder } from './test-support';

/** `pnpm reconcile`: in-process for the output and exit codes, and once as a real process through its entry file. */

const REPO_ROOT = resolve(import.meta.dirname, '../../../../..');

let sys: TestSystem;
let paid: PaidOrder;

beforeAll(async () => {
  sys = await startTestSystem({ billsSameDay: true, sandboxTimeScale: 0.01 });
  const alice = await signUpShopper(sys);
  paid = await paidOrder(sys, alice, 12_345);
  await paidOrder(sys, alice, 100);
  const adjusted = await sys.sandbox('POST', '/sandbox/bills/adjustments', {
    tradeNo: paid.tradeNo,
    field: 'orderAmount',
    amountFen: 12_300,
  });
  expect(adjusted.status).toBe(201);
});
afterAll(() => sys.close());

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await reconcileCli(argv, () => sys.api.deps.env, {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

describe('pnpm reconcile', () => {
  it('shows each step, then a table of classes and the settlement in yuan; exit 0 with differences', async () => {
    const { code, out, err } = await cli('--date', today());
    expect(err).toBe('');
    expect(code).toBe(0);
    const steps = [...out.matchAll(/^ {2}✓ (\S+)/gm)].map((m) => m[1]);
    expect(steps).toEqual(['claim', 'bill-url', 'download', 'parse', 'ledger', 'match', 'store']);
    expect(out).toContain('parsed 2 rows (2 trades, 0 refunds), summary checked');
    expect(out).toContain(`${today()}: DIFFERENCES (2 bill rows, 1 matched, 1 differences)`);
    expect(out).toMatch(/^ {2}MATCHED +1$/m);
    expect(out).toMatch(/^ {2}AMOUNT_MISMATCH +1$/m);
    expect(out).toMatch(/^ {2}MISSING_IN_LEDGER +0$/m);
    expect(out).toMatch(/^ {2}total +2$/m);
    // 123.45 was changed to 123.00 in the bill's 订单金额 only; 商家实收 still says 123.45. Fees: 0.74 + 0.01.
    expect(out).toMatch(/^ {2}gross paid +124\.45$/m);
    expect(out).toMatch(/^ {2}refunded +0\.00$/m);
    expect(out).toMatch(/^ {2}service fees +-0\.75$/m);
    expect(out).toMatch(/^ {2}net owed +123\.70$/m);
    const run = await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate: today() } });
    expect(out).toContain(`report sha256  ${run.reportHash}`);
  });

  it('exits 1 with the reason when there is no bill, and 2 on bad usage', async () => {
    await sys.sandbox('PUT', '/sandbox/settings', { billsSameDay: false });
    await sys.db.reconciliationRun.deleteMany({});
    const missing = await cli('--date', today());
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/: FAILED\n {2}Alipay has no bill for .* yet \(isp\.bill_not_exist\)/);
    await sys.sandbox('PUT', '/sandbox/settings', { billsSameDay: true });

    expect(await cli('--date', '2026-02-30')).toMatchObject({
      code: 2,
      err: '--date: "2026-02-30" is not a date (yyyy-MM-dd)\n',
    });
    expect(await cli('--date', '2999-01-01')).toMatchObject({ code: 2 });
    expect((await cli('--when', 'today')).err).toContain("Unknown option '--when'");
    expect((await cli('--help')).out).toContain('Usage: pnpm reconcile [--date yyyy-MM-dd]');
  });

  it('runs as a process from its entry file with the API’s environment', async () => {
    const env = sys.api.deps.env;
    const child = spawn(
      resolve(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['apps/api/src/cli/reconcile.ts', '--date', today()],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          DATA_DIR: env.DATA_DIR,
          DATABASE_URL: env.DATABASE_URL,
          ALIPAY_GATEWAY: env.ALIPAY_GATEWAY,
          LOG_LEVEL: 'silent',
        },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(out).toContain(`${today()}: DIFFERENCES`);
    expect(code).toBe(0);
  });
});
