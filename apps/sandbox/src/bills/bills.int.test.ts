import { formatChinaDate, yuanToFen } from '@shop/alipay';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTrade,
  payTrade,
  startTestSandbox,
  type CreatedTrade,
  type TestSandbox,
} from '../test-support';
import { DETAIL_HEADER, SUMMARY_HEADER } from './bill-csv';

/**
 * The bill as a shop's reconciliation job meets it: ask for the URL with the official SDK, download the zip, decode
 * GBK names and contents, drop `#` lines, parse with csv-parse, trim the tab padding, and check the amounts.
 */

let t: TestSandbox;
let paid: CreatedTrade;
let small: CreatedTrade;
let unpaid: CreatedTrade;
const today = formatChinaDate(new Date());

beforeAll(async () => {
  t = await startTestSandbox({ feeRateBps: 60 });
  paid = await createTrade(t, { total_amount: '100.00', subject: '羊毛大衣' });
  await payTrade(t, paid.tradeNo);
  await t.sdk.exec('alipay.trade.refund', {
    bizContent: {
      trade_no: paid.tradeNo,
      refund_amount: '30.00',
      out_request_no: 'BILL_R1',
      refund_reason: '尺码不合',
    },
  });
  small = await createTrade(t, { total_amount: '0.01', subject: '贴纸' });
  await payTrade(t, small.tradeNo);
  unpaid = await createTrade(t, { total_amount: '5.00' });
});
afterAll(async () => {
  await t.dispose();
});

async function billUrl(billDate: string) {
  return t.sdk.exec(
    'alipay.data.dataservice.bill.downloadurl.query',
    { bizContent: { bill_type: 'trade', bill_date: billDate } },
    { validateSign: true },
  );
}

interface Bill {
  names: string[];
  detail: string[][];
  detailText: string;
  summary: string[][];
}

async function download(url: string): Promise<Bill> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  // Entry names are GBK bytes without the UTF-8 flag, as in Alipay's zips: fflate hands them over as latin1.
  const decoded = Object.entries(files).map(([name, bytes]) => ({
    name: iconv.decode(Buffer.from(name, 'latin1'), 'gbk'),
    text: iconv.decode(Buffer.from(bytes), 'gbk'),
  }));
  const read = (text: string) =>
    parse(
      text
        .split('\r\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .join('\n'),
      { relax_column_count: false },
    ).map((row) => row.map((cell) => cell.trim()));
  const detailFile = decoded.find((file) => file.name.endsWith('_业务明细.csv'));
  const summaryFile = decoded.find((file) => file.name.endsWith('_业务明细(汇总).csv'));
  return {
    names: decoded.map((file) => file.name),
    detail: read(detailFile?.text ?? ''),
    detailText: detailFile?.text ?? '',
    summary: read(summaryFile?.text ?? ''),
  };
}

const column = (row: string[] | undefined, name: string) => row?.[DETAIL_HEADER.indexOf(name as never)];

describe('alipay.data.dataservice.bill.downloadurl.query', () => {
  it('has no bill for today until the same-day switch is on (bills appear the next day)', async () => {
    const refused = await billUrl(today);
    expect(refused).toMatchObject({ code: '40004', subCode: 'isp.bill_not_exist' });
    const future = await billUrl('2999-01-01');
    expect(future.subCode).toBe('isp.bill_not_exist');
    const malformed = await billUrl('2026-13-45');
    expect(malformed.code).toBe('40004');
  });

  it('serves a GBK zip in Alipay layout listing the day’s trades and refunds with the right amounts', async () => {
    const settings = await t.control('PUT', '/sandbox/settings', { billsSameDay: true });
    expect(settings.body).toMatchObject({ billsSameDay: true });
    const result = await billUrl(today);
    expect(result.code).toBe('10000');
    const url = result.billDownloadUrl as string;
    expect(url.startsWith(`${t.sandbox.url}/downloadBillFile.resource?`)).toBe(true);
    const bill = await download(url);

    const compact = today.replaceAll('-', '');
    expect(bill.names.sort()).toEqual([
      `20880000000099990156_${compact}_业务明细(汇总).csv`,
      `20880000000099990156_${compact}_业务明细.csv`,
    ]);
    expect(bill.detailText.startsWith('#支付宝业务明细查询\r\n#账号：[20880000000099990156]\r\n')).toBe(true);
    expect(bill.detailText).toContain('\t,'); // identifier fields carry Alipay's tab padding
    const [header, ...rows] = bill.detail;
    expect(header).toEqual([...DETAIL_HEADER]);

    const find = (tradeNo: string, kind: string) =>
      rows.find((row) => row[0] === tradeNo && column(row, '业务类型') === kind);
    const coat = find(paid.tradeNo, '交易');
    expect(column(coat, '商户订单号')).toBe(paid.outTradeNo);
    expect(column(coat, '商品名称')).toBe('羊毛大衣');
    expect(column(coat, '订单金额（元）')).toBe('100.00');
    expect(column(coat, '商家实收（元）')).toBe('100.00');
    expect(column(coat, '服务费（元）')).toBe('-0.60'); // 0.6% of 100.00
    expect(column(coat, '对方账户')).toBe('**明(138****0001)');

    const refund = find(paid.tradeNo, '退款');
    expect(column(refund, '订单金额（元）')).toBe('-30.00');
    expect(column(refund, '商家实收（元）')).toBe('-30.00');
    expect(column(refund, '退款批次号/请求号')).toBe('BILL_R1');
    expect(column(refund, '服务费（元）')).toBe('0.18'); // 30% of the 0.60 fee comes back
    expect(column(refund, '备注')).toBe('尺码不合');

    expect(column(find(small.tradeNo, '交易'), '服务费（元）')).toBe('0.00'); // 0.006 fen rounds to 0
    expect(rows.some((row) => row[0] === unpaid.tradeNo)).toBe(false);

    // The summary reconciles with the detail: each total is the column sum.
    const [summaryHeader, store, total] = bill.summary;
    expect(summaryHeader).toEqual([...SUMMARY_HEADER]);
    expect(total?.[0]).toBe('合计');
    expect(store?.slice(2)).toEqual(total?.slice(2));
    const sum = (name: string) =>
      rows.reduce((acc, row) => acc + yuanToFen(column(row, name) as string, { minFen: -1e10 }), 0);
    const at = (name: string) =>
      yuanToFen(total?.[SUMMARY_HEADER.indexOf(name as never)] as string, { minFen: -1e10 });
    expect(total?.[2]).toBe('2');
    expect(total?.[3]).toBe('1');
    expect(at('订单金额（元）')).toBe(sum('订单金额（元）'));
    expect(at('商家实收（元）')).toBe(7001);
    expect(at('服务费（元）')).toBe(sum('服务费（元）'));
    expect(at('服务费（元）')).toBe(-42);
    expect(at('实收净额（元）')).toBe(7001 - 42);
    expect(bill.detailText).toContain('#交易合计：2笔，商家实收共100.01元');
    expect(bill.detailText).toContain('#退款合计：1笔，商家实收退款共-30.00元');
  });

  it('applies test adjustments to the generated bill', async () => {
    const adjusted = await t.control('POST', '/sandbox/bills/adjustments', {
      tradeNo: small.tradeNo,
      field: 'receiptAmount',
      amountFen: 2,
    });
    expect(adjusted.status).toBe(201);
    const omitted = await t.control('POST', '/sandbox/bills/adjustments', {
      tradeNo: paid.tradeNo,
      outRequestNo: 'BILL_R1',
      omit: true,
    });
    expect(omitted.status).toBe(201);
    const bill = await download((await billUrl(today)).billDownloadUrl as string);
    const rows = bill.detail.slice(1);
    expect(
      column(
        rows.find((row) => row[0] === small.tradeNo),
        '商家实收（元）',
      ),
    ).toBe('0.02');
    expect(rows.some((row) => column(row, '业务类型') === '退款')).toBe(false);
    expect(bill.summary[2]?.[5]).toBe('100.02');
    const cleared = await t.control<{ cleared: number }>('DELETE', '/sandbox/bills/adjustments');
    expect(cleared.body.cleared).toBe(2);
  });

  it('serves an empty bill for a past day without trades, and month bills', async () => {
    const empty = await download((await billUrl('2024-02-29')).billDownloadUrl as string);
    expect(empty.detail).toEqual([[...DETAIL_HEADER]]);
    expect(empty.summary[2]?.slice(2, 6)).toEqual(['0', '0', '0.00', '0.00']);
    const month = await billUrl('2024-02');
    expect(month.code).toBe('10000');
  });

  it('refuses unknown download tokens', async () => {
    const response = await fetch(`${t.sandbox.url}/downloadBillFile.resource?token=nope`);
    expect(response.status).toBe(404);
  });
});
