/**
 * The layout of Alipay's trade bill (交易账单), the zip that alipay.data.dataservice.bill.downloadurl.query points at:
 * GBK CSVs, a detail file (业务明细) and a summary file (业务明细(汇总)), `#` comment lines around a header row.
 * https://opendocs.alipay.com/open/028woc. The sandbox writes these columns and the API reads them; both take them
 * from here. Readers should find columns by name, not position: Alipay has added columns over the years.
 */

/** The detail file's header row, in Alipay's order. */
export const BILL_DETAIL_HEADER = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '商品名称',
  '创建时间',
  '完成时间',
  '门店编号',
  '门店名称',
  '操作员',
  '终端号',
  '对方账户',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝红包（元）',
  '集分宝（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '券核销金额（元）',
  '券名称',
  '商家红包消费金额（元）',
  '卡消费金额（元）',
  '退款批次号/请求号',
  '服务费（元）',
  '分润（元）',
  '备注',
] as const;

/** The summary file's header row, in Alipay's order. */
export const BILL_SUMMARY_HEADER = [
  '门店编号',
  '门店名称',
  '交易订单总笔数',
  '退款订单总笔数',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '卡消费金额（元）',
  '服务费（元）',
  '分润（元）',
  '实收净额（元）',
] as const;

export type BillDetailColumn = (typeof BILL_DETAIL_HEADER)[number];
export type BillSummaryColumn = (typeof BILL_SUMMARY_HEADER)[number];

/** 业务类型 values: a payment row and a refund row. */
export const BILL_BUSINESS_TYPES = { trade: '交易', refund: '退款' } as const;
