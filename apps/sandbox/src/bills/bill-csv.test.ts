import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  billTotals,
  chineseTimestamp,
  DETAIL_HEADER,
  renderDetailCsv,
  renderSummaryCsv,
  SUMMARY_HEADER,
} from './bill-csv';
import { applyAdjustments, buyerAccount, type BillLine } from './bill-lines';

const at = (text: string) => new Date(`${text}+08:00`);

const meta = {
  account: '20880000000099990156',
  start: at('2026-03-01T00:00:00'),
  end: at('2026-03-02T00:00:00'),
  exportedAt: at('2026-03-02T08:46:49'),
};

const lines: BillLine[] = [
  {
    kind: 'trade',
    tradeNo: '2026030122001000000000000001',
    outTradeNo: 'ORDER_1',
    subject: '羊毛, "大衣"',
    createdAt: at('2026-03-01T10:00:00'),
    finishedAt: at('2026-03-01T10:00:05'),
    buyerAccount: '**明(138****0001)',
    orderFen: 10_000,
    receiptFen: 10_000,
    feeFen: -60,
    outRequestNo: null,
    remark: '',
  },
  {
    kind: 'refund',
    tradeNo: '2026030122001000000000000001',
    outTradeNo: 'ORDER_1',
    subject: '羊毛, "大衣"',
    createdAt: at('2026-03-01T10:00:00'),
    finishedAt: at('2026-03-01T18:30:00'),
    buyerAccount: '**明(138****0001)',
    orderFen: -3_000,
    receiptFen: -3_000,
    feeFen: 18,
    outRequestNo: 'R1',
    remark: '尺码不合',
  },
];

const dataRows = (text: string) =>
  parse(
    text
      .split('\r\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .join('\n'),
  );

describe('detail CSV (业务明细)', () => {
  const text = renderDetailCsv(lines, meta);

  it('has Alipay’s comment lines, header and footer, with CRLF line ends', () => {
    const all = text.split('\r\n');
    expect(all.slice(0, 4)).toEqual([
      '#支付宝业务明细查询',
      '#账号：[20880000000099990156]',
      '#起始日期：[2026年03月01日 00:00:00]   终止日期：[2026年03月02日 00:00:00]',
      '#-----------------------------------------业务明细列表----------------------------------------',
    ]);
    expect(all[4]).toBe(DETAIL_HEADER.join(','));
    expect(all.slice(-5)).toEqual([
      '#-----------------------------------------业务明细列表结束------------------------------------',
      '#交易合计：1笔，商家实收共100.00元，商家优惠共0.00元',
      '#退款合计：1笔，商家实收退款共-30.00元，商家优惠退款共0.00元',
      '#导出时间：[2026年03月02日 08:46:49]',
      '',
    ]);
  });

  it('writes one 25-column row per line: tab-padded identifiers, negative refunds, quoted commas', () => {
    const [header, trade, refund] = dataRows(text);
    expect(header).toHaveLength(25);
    expect(trade).toHaveLength(25);
    expect(trade?.slice(0, 6)).toEqual([
      '2026030122001000000000000001\t',
      'ORDER_1\t',
      '交易\t',
      '羊毛, "大衣"',
      '2026-03-01 10:00:00',
      '2026-03-01 10:00:05',
    ]);
    expect(trade?.slice(11, 13)).toEqual(['100.00', '100.00']);
    expect(trade?.[22]).toBe('-0.60');
    expect(refund?.[2]).toBe('退款\t');
    expect(refund?.slice(11, 13)).toEqual(['-30.00', '-30.00']);
    expect(refund?.[21]).toBe('R1\t');
    expect(refund?.[22]).toBe('0.18');
    expect(refund?.[24]).toBe('尺码不合');
  });
});

describe('summary CSV (业务明细(汇总))', () => {
  it('totals reconcile with the detail column sums', () => {
    const rows = dataRows(renderSummaryCsv(lines, meta));
    expect(rows[0]).toEqual([...SUMMARY_HEADER]);
    expect(rows[2]).toEqual([
      '合计',
      '',
      '1',
      '1',
      '70.00',
      '70.00',
      '0.00',
      '0.00',
      '0.00',
      '-0.42',
      '0.00',
      '69.58',
    ]);
    expect(rows[1]?.slice(2)).toEqual(rows[2]?.slice(2));
    const totals = billTotals(lines);
    expect(totals.netFen).toBe(totals.receiptFen + totals.feeFen);
  });

  it('is well-formed with no lines at all', () => {
    const rows = dataRows(renderSummaryCsv([], meta));
    expect(rows[2]).toEqual([
      '合计',
      '',
      '0',
      '0',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
    ]);
    expect(dataRows(renderDetailCsv([], meta))).toEqual([[...DETAIL_HEADER]]);
  });
});

describe('bill helpers', () => {
  it('formats Chinese timestamps in China time', () => {
    expect(chineseTimestamp(new Date('2026-02-28T16:00:00Z'))).toBe('2026年03月01日 00:00:00');
  });

  it('masks the buyer account as Alipay shows it', () => {
    const buyer = {
      userId: '2088000000000001',
      openId: 'x',
      nickname: '张小明',
      logonId: '13800000001',
      balanceFen: 0,
      createdAt: new Date(),
    };
    expect(buyerAccount(buyer)).toBe('**明(138****0001)');
    expect(buyerAccount(undefined)).toBe('');
  });

  it('applies adjustments to the matching row only, and omits rows', () => {
    const adjusted = applyAdjustments(lines, [
      {
        id: 1,
        tradeNo: lines[0]?.tradeNo as string,
        outRequestNo: null,
        field: 'serviceFee',
        amountFen: -99,
        omit: false,
        createdAt: new Date(),
      },
      {
        id: 2,
        tradeNo: lines[0]?.tradeNo as string,
        outRequestNo: 'R1',
        field: null,
        amountFen: null,
        omit: true,
        createdAt: new Date(),
      },
    ]);
    expect(adjusted).toHaveLength(1);
    expect(adjusted[0]?.feeFen).toBe(-99);
    expect(lines[0]?.feeFen).toBe(-60);
  });
});
