import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillDetailColumn } from '@shop/alipay';
import {
  BillDownloadError,
  BillFormatError,
  downloadBill,
  parseDetailCsv,
  parseSummaryCsv,
  readBillArchive,
} from './bill';
import {
  billZip,
  DETAIL_HEADER,
  detailCsv,
  gbkZip,
  summaryCsv,
  totalsOf,
  type FixtureRow,
} from './bill-fixture';

const TRADE: FixtureRow = {
  type: 'trade',
  tradeNo: '2026030122001000000000000001',
  outTradeNo: '20260301100000000001',
  subject: '羊毛, "大衣" #1',
  finishedAt: '2026-03-01 10:00:05',
  orderFen: 10_000,
  feeFen: -60,
};
const REFUND: FixtureRow = {
  type: 'refund',
  tradeNo: '2026030122001000000000000001',
  outTradeNo: '20260301100000000001',
  finishedAt: '2026-03-01 18:30:00',
  orderFen: -3_000,
  feeFen: 18,
  outRequestNo: '20260301100000000001_R1',
};

function rejects(run: () => unknown, message: RegExp): void {
  expect(run).toThrow(BillFormatError);
  expect(run).toThrow(message);
}

describe('readBillArchive: a GBK zip in Alipay’s layout', () => {
  it('decodes names and contents, skips comment lines, trims the tab padding and keeps refunds negative', async () => {
    const archive = readBillArchive(await billZip([TRADE, REFUND]));
    expect(archive.files.sort()).toEqual([
      '20880000000099990156_20260301_业务明细(汇总).csv',
      '20880000000099990156_20260301_业务明细.csv',
    ]);
    expect(archive.rows).toEqual([
      {
        line: 6,
        type: 'trade',
        tradeNo: TRADE.tradeNo,
        outTradeNo: TRADE.outTradeNo,
        outRequestNo: null,
        orderFen: 10_000,
        receiptFen: 10_000,
        feeFen: -60,
        finishedAt: new Date('2026-03-01T02:00:05Z'),
        subject: '羊毛, "大衣" #1',
      },
      {
        line: 7,
        type: 'refund',
        tradeNo: REFUND.tradeNo,
        outTradeNo: REFUND.outTradeNo,
        outRequestNo: '20260301100000000001_R1',
        orderFen: -3_000,
        receiptFen: -3_000,
        feeFen: 18,
        finishedAt: new Date('2026-03-01T10:30:00Z'),
        subject: '羊毛大衣',
      },
    ]);
    expect(archive.summary).toEqual({
      tradeCount: 1,
      refundCount: 1,
      orderFen: 7_000,
      receiptFen: 7_000,
      feeFen: -42,
      netFen: 6_958,
    });
  });

  it('reads a day without trades (header only) as no rows', async () => {
    const archive = readBillArchive(await billZip([]));
    expect(archive.rows).toEqual([]);
    expect(archive.summary).toMatchObject({ tradeCount: 0, refundCount: 0, netFen: 0 });
  });

  it('tells the files apart by their columns, whatever their names, and accepts UTF-8 flagged names', () => {
    const zip = zipSync({
      'bill/明细.csv': iconv.encode(detailCsv([TRADE]), 'gbk'),
      'bill/汇总.csv': iconv.encode(summaryCsv(totalsOf([TRADE])), 'gbk'),
    });
    const archive = readBillArchive(zip);
    expect(archive.files.sort()).toEqual(['bill/明细.csv', 'bill/汇总.csv']);
    expect(archive.rows).toHaveLength(1);
    expect(archive.summary?.tradeCount).toBe(1);
  });

  it('works without a summary file', async () => {
    const zip = await gbkZip([{ name: 'x_业务明细.csv', text: detailCsv([TRADE]) }]);
    expect(readBillArchive(zip)).toMatchObject({ summary: null, rows: [{ tradeNo: TRADE.tradeNo }] });
  });

  it('refuses what is not a bill', async () => {
    rejects(() => readBillArchive(Buffer.from('not a zip at all')), /not a readable zip/);
    const noDetail = await gbkZip([{ name: 'readme.txt', text: 'hello' }]);
    rejects(() => readBillArchive(noDetail), /one detail file.*found 0 among: readme\.txt/);
    const twoDetails = await gbkZip([
      { name: 'a_业务明细.csv', text: detailCsv([TRADE]) },
      { name: 'b_业务明细.csv', text: detailCsv([]) },
    ]);
    rejects(() => readBillArchive(twoDetails), /found 2/);
  });
});

describe('parseDetailCsv: the header is found by its column names', () => {
  it('reads columns in another order, with extra columns, ASCII parentheses and a preamble row', () => {
    const text = [
      '#支付宝业务明细查询',
      '账号,20880000000099990156',
      '备注,退款批次号/请求号,服务费(元),商家实收(元),订单金额(元),完成时间,业务类型,商户订单号,支付宝交易号,新列',
      `x,R9\t,0.30,-50.00,-50.00,2026-03-01 12:00:00,退款\t,ORDER_9\t,2026T9\t,?`,
      '#导出时间：[2026年03月02日 08:46:49]',
    ].join('\r\n');
    expect(parseDetailCsv(text)).toEqual([
      {
        line: 4,
        type: 'refund',
        tradeNo: '2026T9',
        outTradeNo: 'ORDER_9',
        outRequestNo: 'R9',
        orderFen: -5_000,
        receiptFen: -5_000,
        feeFen: 30,
        finishedAt: new Date('2026-03-01T04:00:00Z'),
        subject: '',
      },
    ]);
  });

  it('refuses a file without the header, naming the columns it looked for', () => {
    rejects(
      () => parseDetailCsv('#only comments\r\na,b,c\r\n', 'x.csv'),
      /x\.csv has no header row with the columns 支付宝交易号/,
    );
  });
});

describe('parseDetailCsv: malformed rows are rejected with the line and the reason', () => {
  const header = DETAIL_HEADER.join(',');
  const good = detailCsv([TRADE]).split('\r\n')[5] as string;
  const withCell = (column: BillDetailColumn, value: string) => {
    const cells = good.split(',');
    // The subject holds a quoted comma; index from the end for the columns after it.
    const index = DETAIL_HEADER.indexOf(column) - DETAIL_HEADER.length;
    cells[cells.length + index] = value;
    return `#c\r\n${header}\r\n${cells.join(',')}\r\n`;
  };
  const before = (column: BillDetailColumn, value: string) => {
    const cells = [
      `${TRADE.tradeNo}\t`,
      `${TRADE.outTradeNo}\t`,
      '交易\t',
      'coat',
      ...good.split(',').slice(5),
    ];
    cells[DETAIL_HEADER.indexOf(column)] = value;
    return `#c\r\n${header}\r\n${cells.join(',')}\r\n`;
  };

  it('a row with the wrong number of fields', () => {
    rejects(
      () => parseDetailCsv(`#c\r\n${header}\r\n${good},extra\r\n`, 'd.csv'),
      /d\.csv line 3: 26 fields where the header has 25/,
    );
    rejects(() => parseDetailCsv(`${header}\r\na,b\r\n`, 'd.csv'), /d\.csv line 2: 2 fields/);
  });

  it('amounts that are not exact yuan', () => {
    rejects(
      () => parseDetailCsv(withCell('订单金额（元）', '100.001')),
      /line 3: 订单金额（元） "100\.001" is not a yuan amount/,
    );
    rejects(
      () => parseDetailCsv(withCell('商家实收（元）', '9.800000000000001')),
      /商家实收（元） "9\.800000000000001"/,
    );
    rejects(() => parseDetailCsv(withCell('服务费（元）', '')), /服务费（元） "" is not a yuan amount/);
    rejects(() => parseDetailCsv(withCell('订单金额（元）', '1e3')), /is not a yuan amount/);
  });

  it('signs that contradict the business type', () => {
    rejects(
      () => parseDetailCsv(withCell('订单金额（元）', '-100.00')),
      /a trade row's amounts must be positive/,
    );
    const refund = before('业务类型', '退款\t');
    rejects(() => parseDetailCsv(refund), /a refund row's amounts must be negative/);
  });

  it('an unknown business type, empty numbers, a time that is not one', () => {
    rejects(() => parseDetailCsv(before('业务类型', '转账\t')), /业务类型 "转账" is neither 交易 nor 退款/);
    rejects(() => parseDetailCsv(before('支付宝交易号', '\t')), /支付宝交易号 is empty/);
    rejects(() => parseDetailCsv(before('商户订单号', '')), /商户订单号 is empty/);
    rejects(
      () => parseDetailCsv(before('完成时间', '2026-02-30 10:00:00')),
      /完成时间 "2026-02-30 10:00:00" is not a time/,
    );
  });

  it('a broken quote is a CSV error, not a crash', () => {
    rejects(() => parseDetailCsv(`${header}\r\n"unterminated,1\r\n`, 'q.csv'), /q\.csv is not valid CSV/);
  });
});

describe('parseSummaryCsv', () => {
  it('reads the 合计 row', () => {
    expect(
      parseSummaryCsv(
        summaryCsv({ tradeCount: 3, refundCount: 1, orderFen: 100, receiptFen: 100, feeFen: -1, netFen: 99 }),
      ),
    ).toEqual({
      tradeCount: 3,
      refundCount: 1,
      orderFen: 100,
      receiptFen: 100,
      feeFen: -1,
      netFen: 99,
    });
  });

  it('refuses a summary without a total row or with a count that is not one', () => {
    const text = summaryCsv(totalsOf([TRADE]));
    rejects(() => parseSummaryCsv(text.replace('合计', '小计'), 's.csv'), /s\.csv has no 合计 \(total\) row/);
    rejects(
      () => parseSummaryCsv(text.replace(/合计,,1,/, '合计,,one,')),
      /交易订单总笔数 "one" is not a count/,
    );
  });
});

describe('downloadBill', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/bill') {
        res.end(Buffer.from('zip bytes'));
      } else if (req.url === '/big') {
        res.write(Buffer.alloc(1024));
        res.end(Buffer.alloc(1024));
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2_000).unref();
      } else {
        res.statusCode = 410;
        res.end('expired');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('returns the bytes', async () => {
    expect((await downloadBill(`${base}/bill`, { timeoutMs: 5_000 })).toString()).toBe('zip bytes');
  });

  it('refuses an HTTP error, a body past the limit and a download past the deadline', async () => {
    await expect(downloadBill(`${base}/gone`, { timeoutMs: 5_000 })).rejects.toThrow(
      new BillDownloadError('the bill download answered HTTP 410'),
    );
    await expect(downloadBill(`${base}/big`, { timeoutMs: 5_000, maxBytes: 1500 })).rejects.toThrow(
      /larger than 1500 bytes/,
    );
    await expect(downloadBill(`${base}/slow`, { timeoutMs: 200 })).rejects.toThrow(/timed out/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(downloadBill(`http://127.0.0.1:${port}/bill`, { timeoutMs: 5_000 })).rejects.toThrow(
      /could not be downloaded: ECONNREFUSED/,
    );
  });
});
