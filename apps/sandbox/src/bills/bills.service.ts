import { chinaDayRange, formatChinaDate, parseChinaTime } from '@shop/alipay';
import type { Deps } from '../deps';
import { newDownloadToken } from '../ids';
import { SANDBOX_SELLER_ID } from '../notify/notify-fields';
import type { Buyer, Refund, Trade } from '../store/types';
import { zipBill } from './bill-archive';
import { renderDetailCsv, renderSummaryCsv } from './bill-csv';
import { applyAdjustments, buildBillLines } from './bill-lines';

/**
 * Trade bills (alipay.data.dataservice.bill.downloadurl.query, https://opendocs.alipay.com/open/028woc): a day
 * (`yyyy-MM-dd`) or a month (`yyyy-MM`) in China time, available once the period is over (Alipay publishes a day's
 * bill the next day). The URL is short-lived (30 s, like Alipay's) and serves a zip built from the sandbox's own
 * trades and refunds at download time.
 */

export const DOWNLOAD_URL_TTL_MS = 30_000;
export const BILLS_SAME_DAY_SETTING = 'billsSameDay';

/** The merchant account a bill names: the seller id plus Alipay's 0156 account suffix. */
export const BILL_ACCOUNT = `${SANDBOX_SELLER_ID}0156`;

export interface BillPeriod {
  billDate: string;
  start: Date;
  end: Date;
  /** `20261121` or `202611`, as file names carry it. */
  compact: string;
}

export function billPeriod(billDate: string): BillPeriod | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(billDate)) {
    const range = chinaDayRange(billDate);
    return range && { billDate, ...range, compact: billDate.replaceAll('-', '') };
  }
  const month = /^(\d{4})-(\d{2})$/.exec(billDate);
  if (month) {
    const start = parseChinaTime(`${billDate}-01 00:00:00`);
    if (!start) return null;
    const year = Number(month[1]);
    const next =
      Number(month[2]) === 12 ? `${year + 1}-01` : `${year}-${String(Number(month[2]) + 1).padStart(2, '0')}`;
    const end = parseChinaTime(`${next}-01 00:00:00`) as Date;
    return { billDate, start, end, compact: billDate.replace('-', '') };
  }
  return null;
}

/** Whether a period's bill exists yet: the period has ended (or, with same-day bills on, has begun). */
export function isBillAvailable(period: BillPeriod, now: Date, sameDay: boolean): boolean {
  const todayStart = (chinaDayRange(formatChinaDate(now)) as { start: Date }).start;
  if (period.end.getTime() <= todayStart.getTime()) return true;
  return sameDay && period.start.getTime() <= now.getTime();
}

export function billsSameDay(deps: Deps): boolean {
  const stored = deps.store.bills.getSetting(BILLS_SAME_DAY_SETTING);
  return stored === undefined ? deps.config.billsSameDay : stored === 'true';
}

export function issueDownloadUrl(deps: Deps, appId: string, period: BillPeriod): string {
  const now = deps.clock.now();
  const token = newDownloadToken();
  deps.store.bills.insertDownload({
    token,
    appId,
    billDate: period.billDate,
    expiresAt: new Date(now.getTime() + DOWNLOAD_URL_TTL_MS),
  });
  // Shaped like Alipay's dwbillcenter links, on the sandbox itself.
  const url = new URL('/downloadBillFile.resource', deps.publicUrl());
  url.searchParams.set('bizType', 'trade');
  url.searchParams.set('fileType', 'csv.zip');
  url.searchParams.set('bizDates', period.compact);
  url.searchParams.set('downloadFileName', `${BILL_ACCOUNT}_${period.compact}.csv.zip`);
  url.searchParams.set('token', token);
  url.searchParams.set('timestamp', String(now.getTime()));
  return url.toString();
}

export interface BillFile {
  fileName: string;
  zip: Buffer;
}

export async function buildBillZip(deps: Deps, appId: string, period: BillPeriod): Promise<BillFile> {
  const { trades, accounts, bills } = deps.store;
  const paidTrades = trades.listPaidBetween(appId, period.start, period.end);
  const refundRows = trades.listRefundsBetween(appId, period.start, period.end);
  const tradeCache = new Map<string, { trade: Trade; refunds: Refund[] }>();
  const refunds = refundRows.map((refund) => {
    let entry = tradeCache.get(refund.tradeNo);
    if (!entry) {
      entry = { trade: trades.find(refund.tradeNo) as Trade, refunds: trades.listRefunds(refund.tradeNo) };
      tradeCache.set(refund.tradeNo, entry);
    }
    return { refund, trade: entry.trade, tradeRefunds: entry.refunds };
  });
  const buyers = new Map<string, Buyer>(accounts.listBuyers().map((buyer) => [buyer.userId, buyer]));
  const lines = applyAdjustments(
    buildBillLines({ paidTrades, refunds, buyers, feeRateBps: deps.config.feeRateBps }),
    bills.listAdjustments(),
  );
  const meta = { account: BILL_ACCOUNT, start: period.start, end: period.end, exportedAt: deps.clock.now() };
  const base = `${BILL_ACCOUNT}_${period.compact}`;
  const zip = await zipBill(
    [
      { name: `${base}_业务明细.csv`, text: renderDetailCsv(lines, meta) },
      { name: `${base}_业务明细(汇总).csv`, text: renderSummaryCsv(lines, meta) },
    ],
    meta.exportedAt,
  );
  return { fileName: `${base}.csv.zip`, zip };
}
