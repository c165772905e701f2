import { describe, expect, it } from 'vitest';

import { checkAddress, EMPTY_DRAFT, fullAddress, maskPhone } from './address';

const good = {
  name: '张三',
  phone: '13800000001',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 1 号',
  isDefault: true,
};

describe('the address form', () => {
  it('accepts a complete address as the API body', () => {
    expect(checkAddress({ ...good, name: '  张三 ' })).toEqual({ ok: true, body: { ...good, name: '张三' } });
  });

  it('names every missing field in zh-CN', () => {
    const check = checkAddress(EMPTY_DRAFT);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual([
      'city',
      'detail',
      'district',
      'name',
      'phone',
      'province',
    ]);
    expect(check.first).toBe('请填写收货人姓名（20 字以内）');
  });

  it('refuses a phone that is not a mainland mobile number', () => {
    const check = checkAddress({ ...good, phone: '12345' });
    expect(check.ok ? null : check.errors).toEqual({ phone: '请填写 11 位手机号码' });
  });

  it('formats and masks for display', () => {
    expect(fullAddress(good)).toBe('浙江省 杭州市 西湖区 文三路 1 号');
    expect(maskPhone('13800000001')).toBe('138****0001');
  });
});
