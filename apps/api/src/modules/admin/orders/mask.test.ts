import { describe, expect, it } from 'vitest';
import { maskPhone } from './service';

describe('maskPhone', () => {
  it.each([
    ['13800138000', '138****8000'],
    ['19912345678', '199****5678'],
    ['010-12345678', '********5678'],
    ['1234', '****'],
    ['', ''],
  ])('%s -> %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('never shows the middle digits of a mobile number', () => {
    const masked = maskPhone('13812345678');
    expect(masked).not.toContain('1234');
    expect(masked).toHaveLength(11);
  });
});
