import { describe, expect, it } from 'vitest';
import type { BillRow } from './bill';
import type { ReportLine } from './match';
import {
  canonicalReport,
  carryResolutions,
  countLines,
  lineKeys,
  reportHash,
  settle,
  summaryDisagreements,
} from './report';

const at = new Date('2026-03-01T04:00:00Z');
function row(type: BillRow['type'], orderFen: number, feeFen: number, receiptFen = orderFen): BillRow {
  return {
    line: 1,
    type,
    tradeNo: 'T',
    outTradeNo: 'O',
    outRequestNo: type === 'refund' ? 'R' : null,
    orderFen,
    receiptFen,
    feeFen,
    finishedAt: at,
    subject: '',
  };
}

const ROWS = [
  row('trade', 10_000, -60),
  row('trade', 1, 0),
  row('refund', -3_000, 18),
  row('trade', 2_550, -15),
];

describe('settle', () => {
  it('sums the bill: gross, refunds, fees net of the refunded part, and what the merchant is owed', () => {
    expect(settle(ROWS)).toEqual({
      tradeCount: 3,
      refundCount: 1,
      grossFen: 12_551,
      refundFen: 3_000,
      feeFen: 57,
      netFen: 9_494,
    });
    expect(settle([])).toEqual({
      tradeCount: 0,
      refundCount: 0,
      grossFen: 0,
      refundFen: 0,
      feeFen: 0,
      netFen: 0,
    });
  });

  it('net is always the receipts plus the signed fee column, whatever the rows', () => {
    let seed = 7;
    const next = (mod: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % mod;
    for (let round = 0; round < 200; round++) {
      const rows = Array.from({ length: next(20) }, () =>
        next(3) === 0
          ? row('refund', -(1 + next(50_000)), next(300))
          : row('trade', 1 + next(90_000), -next(600)),
      );
      const figures = settle(rows);
      const receipts = rows.reduce((sum, r) => sum + r.receiptFen, 0);
      const fees = rows.reduce((sum, r) => sum + r.feeFen, 0);
      expect(figures.netFen).toBe(receipts + fees);
      expect(figures.grossFen - figures.refundFen).toBe(receipts);
      expect(figures.tradeCount + figures.refundCount).toBe(rows.length);
    }
  });
});

describe('summaryDisagreements', () => {
  const figures = settle(ROWS);
  const summary = {
    tradeCount: 3,
    refundCount: 1,
    orderFen: 9_551,
    receiptFen: 9_551,
    feeFen: -57,
    netFen: 9_494,
  };

  it('is empty when the summary is the sum of the detail rows', () => {
    expect(summaryDisagreements(ROWS, figures, summary)).toEqual([]);
  });

  it('names each figure that differs', () => {
    expect(summaryDisagreements(ROWS, figures, { ...summary, tradeCount: 4, netFen: 9_000 })).toEqual([
      '交易订单总笔数: the summary says 4, the detail rows add up to 3',
      '实收净额（元）: the summary says 9000 fen, the detail rows add up to 9494 fen',
    ]);
  });
});

const line = (over: Partial<ReportLine> = {}): ReportLine => ({
  kind: 'MATCHED',
  lineType: 'trade',
  tradeNo: 'T1',
  outTradeNo: 'O1',
  outRequestNo: null,
  billAmountFen: 100,
  ledgerAmountFen: 100,
  detail: '',
  ...over,
});

describe('canonical report and its hash', () => {
  const input = {
    billDate: '2026-03-01',
    billLineCount: 2,
    settlement: settle(ROWS),
    lines: [line(), line({ kind: 'AMOUNT_MISMATCH', tradeNo: 'T2', billAmountFen: 101 })],
  };

  it('is the same text for the same inputs, and another for any change in a line or a figure', () => {
    const text = canonicalReport(input);
    expect(canonicalReport(structuredClone(input))).toBe(text);
    expect(reportHash(text)).toMatch(/^[0-9a-f]{64}$/);
    expect(reportHash(text)).toBe(reportHash(canonicalReport(structuredClone(input))));
    const changed = [
      { ...input, billDate: '2026-03-02' },
      { ...input, lines: [line(), line({ kind: 'AMOUNT_MISMATCH', tradeNo: 'T2', billAmountFen: 102 })] },
      { ...input, lines: [line({ detail: 'x' }), input.lines[1]!] },
      { ...input, settlement: { ...input.settlement, feeFen: 58 } },
    ];
    for (const other of changed) expect(reportHash(canonicalReport(other))).not.toBe(reportHash(text));
  });

  it('carries no ids or timestamps', () => {
    expect(canonicalReport(input)).toBe(
      '{"version":1,"billDate":"2026-03-01","billLineCount":2,"settlement":[3,1,12551,3000,57,9494],' +
        '"lines":[["MATCHED","trade","T1","O1",null,100,100,""],["AMOUNT_MISMATCH","trade","T2","O1",null,101,100,""]]}',
    );
  });

  it('counts matched lines and differences (PAID_AFTER_CLOSE is neither)', () => {
    expect(
      countLines(4, [
        line(),
        line({ kind: 'PAID_AFTER_CLOSE' }),
        line({ kind: 'MISSING_IN_BILL' }),
        line({ kind: 'REFUND_MISMATCH' }),
      ]),
    ).toEqual({ billLineCount: 4, matchedCount: 1, differenceCount: 2 });
  });
});

describe('resolution notes across runs', () => {
  const resolved = {
    resolvedAt: at,
    resolvedById: 'admin-1',
    resolutionNote: 'refunded in the console by mistake',
  };
  const none = { resolvedAt: null, resolvedById: null, resolutionNote: null };

  it('keys number repeated identities', () => {
    expect(lineKeys([line(), line(), line({ outRequestNo: 'R' })])).toEqual([
      'MATCHED|trade|T1|O1|#1',
      'MATCHED|trade|T1|O1|#2',
      'MATCHED|trade|T1|O1|R#1',
    ]);
  });

  it('go to the lines that still exist and nowhere else', () => {
    const previous = [
      { ...line({ kind: 'REFUND_MISMATCH', lineType: 'refund', outRequestNo: 'C1' }), ...resolved },
      { ...line({ kind: 'MISSING_IN_LEDGER', tradeNo: 'T9' }), ...resolved },
      { ...line({ tradeNo: 'T3' }), ...none },
    ];
    const next = [
      line({ kind: 'MATCHED', tradeNo: 'T9' }),
      line({ tradeNo: 'T3' }),
      line({ kind: 'REFUND_MISMATCH', lineType: 'refund', outRequestNo: 'C1' }),
    ];
    expect(carryResolutions(previous, next)).toEqual([null, null, resolved]);
  });
});
