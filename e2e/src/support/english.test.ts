import { describe, expect, it } from 'vitest';

import { englishSentences } from './english';

const found = (text: string) => englishSentences(text).map((run) => run.text);

describe('finding English sentences in a zh-CN page', () => {
  it.each([
    ['Wrong username or password', 'Wrong username or password'],
    ['payment proven by notify', 'payment proven by notify'],
    ['order paid', 'order paid'],
    ['Your role may not do this', 'Your role may not do this'],
    ['支付成功 · payment proven by query', 'payment proven by query'],
    ['用户名或密码错误Wrong username or password', 'Wrong username or password'],
    ['Invalid body: amountFen must be an integer', 'must be an integer'],
    [
      'the bill lists this trade again; the shop recorded one payment for it',
      'the bill lists this trade again',
    ],
    ['Something went wrong on our side', 'Something went wrong on our side'],
    [
      "Alipay has no bill for 2026-11-21 yet (isp.bill_not_exist); a day's bill is ready",
      'Alipay has no bill for',
    ],
    ['退款 R1 refund succeeded', 'refund succeeded'],
  ])('finds %j', (text, sentence) => {
    expect(found(text)).toContain(sentence);
  });

  it.each([
    '订单号 20261121140509000001 · 支付宝交易号 2026112122001400000000001',
    '清爽防晒乳 SPF50+ PA++++ 高倍防护',
    '6.7 英寸 120Hz OLED 屏 · 5000mAh · 一亿像素',
    '真无线蓝牙耳机 Pro',
    '查询交易 成功 alipay.trade.query 123 ms',
    '应答 已回复 success',
    'notify_id 2026112100222140509000000001',
    '交易状态 TRADE_SUCCESS 通知金额 ¥1,299.00',
    '错误：交易不存在（ACQ.TRADE_NOT_EXIST）',
    '导出 CSV · 共 12 条 · 第 1 页',
    'app_id 不符 · seller_id 不符',
    '操作人 owner · 127.0.0.1',
    '由 Alipay Sandbox 提供',
    '¥3,299.00 - ¥4,299.00 已售 1820',
    '12GB+256GB 冰川蓝/12GB+512GB',
  ])('lets %j through', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('reports every sentence on a page, each once where it stands', () => {
    expect(found('订单详情\norder paid\n支付时间线\nrefund confirmed by notify\n已生效')).toEqual([
      'order paid',
      'refund confirmed by notify',
    ]);
  });
});
