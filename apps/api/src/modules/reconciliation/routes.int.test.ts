import { parse } from 'csv-parse/sync';
import {
  ReconciliationDaysResponse,
  ReconciliationLineView,
  ReconciliationReport,
  ReconciliationRequeryResult,
  ReconciliationRunResult,
  SettlementsResponse,
  type ErrorBody,
} from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { demoAdmins, type DemoAdmins } from '../admin/test-support';
import { signUpShopper } from '../payment/test-support';
import { shiftDate } from './report.service';
import { paidOrder, today, type PaidOrder } from './test-support';

/**
 * The reconciliation admin API over HTTP through the whole API: the admin module mounts the router with its
 * session middleware and audit writer, and the demo owner and staff sign in with their passwords.
 */

let sys: TestSystem;
let admins: DemoAdmins;
let paid: PaidOrder;
let billDate: string;

async function call<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const res = await sys.request<T & ErrorBody>(method, `/api/admin/reconciliation${path}`, options);
  return { status: res.status, body: res.body, text: res.text, headers: res.headers };
}

let asOwner: { token: string };
let asStaff: { token: string };

beforeAll(async () => {
  sys = await startTestSystem({ billsSameDay: true, sandboxTimeScale: 0.01 });
  const alice = await signUpShopper(sys);
  paid = await paidOrder(sys, alice, 5_000);
  await paidOrder(sys, alice, 2_000);
  const console = await sys.sandbox('POST', `/sandbox/trades/${paid.tradeNo}/refund`, {
    amountFen: 700,
    outRequestNo: 'CONSOLE_7',
  });
  expect(console.status).toBe(200);
  billDate = today();
  admins = await demoAdmins(sys);
  asOwner = { token: admins.owner.token };
  asStaff = { token: admins.staff.token };
});
afterAll(() => sys.close());

describe('POST /api/admin/reconciliation/runs', () => {
  it('lets only the owner run a date, and checks the date', async () => {
    expect((await call('POST', '/runs', { body: { billDate } })).status).toBe(401);
    const denied = await call('POST', '/runs', { ...asStaff, body: { billDate } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    for (const body of [{ billDate: '2026-13-01' }, { billDate, extra: 1 }, {}, { billDate: '2999-01-01' }]) {
      const bad = await call('POST', '/runs', { ...asOwner, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    }
    expect(await sys.db.reconciliationRun.count()).toBe(0);
  });

  it('reconciles the date and answers with the run and the settlement as numbers; the audit log records it', async () => {
    const res = await call<ReconciliationRunResult>('POST', '/runs', { ...asOwner, body: { billDate } });
    expect(res.status).toBe(200);
    const body = ReconciliationRunResult.parse(res.body);
    expect(body).toMatchObject({
      failure: null,
      run: {
        billDate,
        status: 'DIFFERENCES',
        billLineCount: 3,
        matchedCount: 2,
        differenceCount: 1,
        unresolvedCount: 1,
      },
      settlement: { billDate, tradeCount: 2, refundCount: 1, grossFen: 7_000, refundFen: 700 },
    });
    const entry = await sys.db.auditLog.findFirstOrThrow({ where: { action: 'reconciliation.run' } });
    expect(entry).toMatchObject({ adminId: admins.owner.id, actorName: '店主', targetId: body.run.id });
  });
});

describe('GET /api/admin/reconciliation/days', () => {
  it('lists the last N days, newest first, with their status', async () => {
    const res = await call<ReconciliationDaysResponse>('GET', `/days?days=3&to=${billDate}`, asStaff);
    expect(res.status).toBe(200);
    const { items } = ReconciliationDaysResponse.parse(res.body);
    expect(items.map((day) => [day.billDate, day.status])).toEqual([
      [billDate, 'DIFFERENCES'],
      [shiftDate(billDate, -1), 'NOT_RUN'],
      [shiftDate(billDate, -2), 'NOT_RUN'],
    ]);
    expect(items[0]).toMatchObject({
      run: { unresolvedCount: 1 },
      settlement: { grossFen: 7_000, refundFen: 700 },
    });
    expect(items[1]).toMatchObject({ run: null, settlement: null });
  });

  it('defaults to the 30 days ending today when today was reconciled early, and refuses bad queries', async () => {
    // billDate is today (the sandbox serves same-day bills here) and was reconciled above.
    const res = await call<ReconciliationDaysResponse>('GET', '/days', asStaff);
    expect(res.body.items).toHaveLength(30);
    expect(res.body.items[0]).toMatchObject({ billDate, status: 'DIFFERENCES' });
    expect(res.body.items[1]?.billDate).toBe(shiftDate(billDate, -1));
    for (const query of ['days=0', 'days=367', 'to=yesterday', 'days=3&days=4', 'sort=asc']) {
      const bad = await call('GET', `/days?${query}`, asStaff);
      expect(bad.status, query).toBe(400);
    }
    expect((await call('GET', '/days')).status).toBe(401);
  });
});

describe('GET /api/admin/reconciliation/runs/:billDate', () => {
  it('shows the report with counts per kind and its lines, filtered and paged', async () => {
    const res = await call<ReconciliationReport>('GET', `/runs/${billDate}`, asStaff);
    expect(res.status).toBe(200);
    const report = ReconciliationReport.parse(res.body);
    expect(report.kindCounts).toEqual({
      MATCHED: 2,
      MISSING_IN_LEDGER: 0,
      MISSING_IN_BILL: 0,
      AMOUNT_MISMATCH: 0,
      STATUS_MISMATCH: 0,
      PAID_AFTER_CLOSE: 0,
      REFUND_MISMATCH: 1,
    });
    expect(report.lines).toMatchObject({ total: 3, page: 1, pageSize: 100 });
    expect(report.lines.items.map((line) => line.seq)).toEqual([1, 2, 3]);

    const differences = await call<ReconciliationReport>(
      'GET',
      `/runs/${billDate}?kind=DIFFERENCES`,
      asStaff,
    );
    expect(differences.body.lines.items).toMatchObject([
      { kind: 'REFUND_MISMATCH', outRequestNo: 'CONSOLE_7', billAmountFen: 700, ledgerAmountFen: null },
    ]);
    const matched = await call<ReconciliationReport>(
      'GET',
      `/runs/${billDate}?kind=MATCHED&pageSize=1&page=2`,
      asStaff,
    );
    expect(matched.body.lines).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(matched.body.lines.items).toHaveLength(1);
    const resolved = await call<ReconciliationReport>('GET', `/runs/${billDate}?resolved=true`, asStaff);
    expect(resolved.body.lines.total).toBe(0);
  });

  it('is 404 for a date never run and 400 for bad input', async () => {
    expect((await call('GET', `/runs/${shiftDate(billDate, -5)}`, asStaff)).body.error.code).toBe(
      'NOT_FOUND',
    );
    expect((await call('GET', '/runs/2026-1-1', asStaff)).status).toBe(400);
    expect((await call('GET', `/runs/${billDate}?kind=ODD`, asStaff)).status).toBe(400);
    expect((await call('GET', `/runs/${billDate}?pageSize=501`, asStaff)).status).toBe(400);
  });
});

describe('actions on a line', () => {
  const difference = async () => {
    const res = await call<ReconciliationReport>('GET', `/runs/${billDate}?kind=DIFFERENCES`, asStaff);
    return res.body.lines.items[0]!;
  };

  it('resolve: owner only, with a note, written to the audit log', async () => {
    const line = await difference();
    const denied = await call('POST', `/lines/${line.id}/resolve`, { ...asStaff, body: { note: '已核实' } });
    expect(denied.status).toBe(403);
    expect(
      (await call('POST', `/lines/${line.id}/resolve`, { ...asOwner, body: { note: '   ' } })).status,
    ).toBe(400);
    expect((await call('POST', `/lines/${line.id}/resolve`, { ...asOwner, body: {} })).status).toBe(400);
    expect((await call('POST', '/lines/nope/resolve', { ...asOwner, body: { note: 'x' } })).status).toBe(404);

    const res = await call<ReconciliationLineView>('POST', `/lines/${line.id}/resolve`, {
      ...asOwner,
      body: { note: '客服后台退了运费 7 元，已核实' },
    });
    expect(res.status).toBe(200);
    expect(ReconciliationLineView.parse(res.body)).toMatchObject({
      id: line.id,
      resolvedById: admins.owner.id,
      resolutionNote: '客服后台退了运费 7 元，已核实',
    });
    const entry = await sys.db.auditLog.findFirstOrThrow({
      where: { action: 'reconciliation.line.resolve' },
    });
    expect(entry).toMatchObject({
      adminId: admins.owner.id,
      targetType: 'ReconciliationLine',
      targetId: line.id,
    });
    expect(JSON.parse(entry.beforeJson!)).toMatchObject({ resolutionNote: null });
    expect(JSON.parse(entry.afterJson!)).toMatchObject({ resolutionNote: '客服后台退了运费 7 元，已核实' });

    const days = await call<ReconciliationDaysResponse>('GET', `/days?days=1&to=${billDate}`, asStaff);
    expect(days.body.items[0]?.run).toMatchObject({ differenceCount: 1, unresolvedCount: 0 });
    const matched = (await call<ReconciliationReport>('GET', `/runs/${billDate}?kind=MATCHED`, asStaff)).body
      .lines.items[0]!;
    const conflict = await call('POST', `/lines/${matched.id}/resolve`, { ...asOwner, body: { note: 'x' } });
    expect(conflict.status).toBe(409);
  });

  it('requery: the owner asks Alipay about a line’s trade; the call is recorded', async () => {
    const line = await difference();
    expect((await call('POST', `/lines/${line.id}/requery`, asStaff)).status).toBe(403);
    const res = await call<ReconciliationRequeryResult>('POST', `/lines/${line.id}/requery`, asOwner);
    expect(res.status).toBe(200);
    expect(ReconciliationRequeryResult.parse(res.body)).toMatchObject({
      trade: { ok: true, tradeNo: paid.tradeNo, tradeStatus: 'TRADE_SUCCESS', totalFen: 5_000 },
      applied: 'already-settled',
      refund: null,
      rerun: null,
    });
    expect(
      await sys.db.auditLog.count({
        where: { action: 'reconciliation.line.requery', adminId: admins.owner.id },
      }),
    ).toBe(1);
    expect((await call('POST', '/lines/nope/requery', asOwner)).status).toBe(404);
    // Staff read the report but have no hand in the ledger.
    expect(
      await sys.db.auditLog.count({
        where: { adminId: admins.staff.id, action: { startsWith: 'reconciliation.' } },
      }),
    ).toBe(0);
  });
});

describe('exports and settlements', () => {
  it('exports the report as CSV with amounts in yuan', async () => {
    const res = await call('GET', `/runs/${billDate}/export.csv`, asStaff);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="reconciliation-${billDate}.csv"`,
    );
    // A UTF-8 byte order mark first, so spreadsheet programs read the Chinese text as UTF-8.
    const raw = Buffer.from(
      await (
        await fetch(`${sys.apiUrl}/api/admin/reconciliation/runs/${billDate}/export.csv`, {
          headers: { authorization: `Bearer ${admins.staff.token}` },
        })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.text.startsWith('seq,kind,line_type,')).toBe(true);
    const rows = parse<Record<string, string>>(res.text, { columns: true });
    expect(rows).toHaveLength(3);
    expect(rows.find((row) => row.out_request_no === 'CONSOLE_7')).toMatchObject({
      kind: 'REFUND_MISMATCH',
      line_type: 'refund',
      bill_amount_yuan: '7.00',
      ledger_amount_yuan: '',
      resolved_by: admins.owner.id,
      resolution_note: '客服后台退了运费 7 元，已核实',
    });
    expect(
      rows
        .filter((row) => row.kind === 'MATCHED')
        .map((row) => row.bill_amount_yuan)
        .sort(),
    ).toEqual(['20.00', '50.00']);
    expect((await call('GET', `/runs/${shiftDate(billDate, -3)}/export.csv`, asStaff)).status).toBe(404);
  });

  it('lists settlements with totals, and refuses a reversed range', async () => {
    const res = await call<SettlementsResponse>(
      'GET',
      `/settlements?from=${shiftDate(billDate, -6)}&to=${billDate}`,
      asStaff,
    );
    expect(res.status).toBe(200);
    const body = SettlementsResponse.parse(res.body);
    expect(body.items.map((s) => s.billDate)).toEqual([billDate]);
    expect(body.totals).toMatchObject({ tradeCount: 2, refundCount: 1, grossFen: 7_000, refundFen: 700 });
    expect(body.totals.netFen).toBe(7_000 - 700 - body.totals.feeFen);
    const reversed = await call(
      'GET',
      `/settlements?from=${billDate}&to=${shiftDate(billDate, -1)}`,
      asStaff,
    );
    expect(reversed.status).toBe(400);
    expect((await call('GET', '/settlements?from=2020-01-01&to=2026-01-01', asStaff)).status).toBe(400);
  });
});
