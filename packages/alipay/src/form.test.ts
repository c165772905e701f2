import { describe, expect, it } from 'vitest';
import { charsetFromContentType, encodeForm, parseForm } from './form';
import { parseNotifyBody, readNotify, AlipayNotifyFormatError } from './notify';

describe('parseForm', () => {
  it('decodes exactly once: "+" is a space, "%25" is a literal percent', () => {
    expect(parseForm('a=100%25+off&b=%2B1&c=x%3Dy%26z')).toEqual({ a: '100% off', b: '+1', c: 'x=y&z' });
  });

  it('keeps a stray percent sign instead of throwing', () => {
    expect(parseForm('a=100%&b=%zz')).toEqual({ a: '100%', b: '%zz' });
  });

  it('decodes GBK bytes when the body says charset=gbk', () => {
    // 中文 in GBK is D6D0 CEC4.
    expect(parseForm('charset=gbk&subject=%D6%D0%CE%C4')).toEqual({ charset: 'gbk', subject: '中文' });
  });

  it('round-trips non-ASCII and separators through encodeForm', () => {
    const fields = { subject: '纯棉 T恤 & 袜子 = 套装 + 赠品 100%', emoji: '😀', empty: '' };
    expect(parseForm(encodeForm(fields))).toEqual(fields);
  });

  it('reads a charset from malformed Content-Type headers Alipay has sent', () => {
    expect(charsetFromContentType('application/x-www-form-urlencoded; text/html; charset=utf-8')).toBe(
      'utf-8',
    );
    expect(charsetFromContentType('application/x-www-form-urlencoded;charset=GBK')).toBe('gbk');
    expect(charsetFromContentType('application/x-www-form-urlencoded')).toBeNull();
  });

  it('takes the body charset over the header when they disagree', () => {
    expect(parseNotifyBody(Buffer.from('charset=gbk&s=%D6%D0'), 'text/plain; charset=utf-8')).toEqual({
      charset: 'gbk',
      s: '中',
    });
  });
});

describe('readNotify', () => {
  const fields = {
    notify_id: 'n1',
    notify_type: 'trade_status_sync',
    notify_time: '2026-11-21 18:30:05',
    app_id: '9021000000000001',
    trade_no: 'T1',
    out_trade_no: 'O1',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '12.30',
    refund_fee: '0.00',
    gmt_payment: '2026-11-21 18:30:00',
  };

  it('types the fields: fen amounts, UTC dates', () => {
    const notify = readNotify(fields);
    expect(notify).toMatchObject({
      notifyId: 'n1',
      totalFen: 1230,
      refundFeeFen: 0,
      tradeStatus: 'TRADE_SUCCESS',
    });
    expect(notify.gmtPayment?.toISOString()).toBe('2026-11-21T10:30:00.000Z');
  });

  it('names every malformed field', () => {
    const error = (() => {
      try {
        readNotify({
          ...fields,
          notify_id: '',
          total_amount: '12.3x',
          trade_status: 'PAID',
          gmt_payment: 'yesterday',
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AlipayNotifyFormatError);
    expect(Object.keys((error as AlipayNotifyFormatError).fields).sort()).toEqual([
      'gmt_payment',
      'notify_id',
      'total_amount',
      'trade_status',
    ]);
  });
});
