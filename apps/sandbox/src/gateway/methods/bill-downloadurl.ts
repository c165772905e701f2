import { z } from 'zod';
import { billPeriod, billsSameDay, isBillAvailable, issueDownloadUrl } from '../../bills/bills.service';
import { readBiz } from '../biz-content';
import { businessFailed } from '../gateway-error';
import { SUCCESS, type MethodHandler } from '../method';

/**
 * alipay.data.dataservice.bill.downloadurl.query (https://opendocs.alipay.com/open/028woc). Only `bill_type=trade`
 * is served. A bill for today or later does not exist yet (`isp.bill_not_exist`) unless same-day bills are switched on.
 */
const BillBiz = z.object({
  bill_type: z.string().min(1),
  bill_date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be yyyy-MM-dd or yyyy-MM'),
});

export const billDownloadUrl: MethodHandler = (deps, call) => {
  const biz = readBiz(BillBiz, call.biz);
  if (biz.bill_type !== 'trade') {
    throw businessFailed('isv.invalid-arguments', `入参不合法：沙箱只提供 bill_type=trade 的账单`);
  }
  const period = billPeriod(biz.bill_date);
  if (!period) throw businessFailed('isv.invalid-arguments', '入参不合法：bill_date 不是合法日期');
  if (!isBillAvailable(period, deps.clock.now(), billsSameDay(deps))) {
    throw businessFailed('isp.bill_not_exist', '账单不存在：当日账单次日才可下载');
  }
  return { ...SUCCESS, bill_download_url: issueDownloadUrl(deps, call.app.appId, period) };
};
