import { DEV_MESSAGE_TEMPLATES } from '@shop/dev-identity';
import { describe, expect, it } from 'vitest';
import { MAX_KEYWORD_VALUE_CHARS, readMessageData } from './message-data';

const SHIPPING = DEV_MESSAGE_TEMPLATES[1] as (typeof DEV_MESSAGE_TEMPLATES)[number];
const keywords = SHIPPING.keywords;

const data = (values: Record<string, unknown>) =>
  JSON.stringify(Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }])));

const full = {
  keyword1: 'SO20261206001',
  keyword2: '顺丰速运',
  keyword3: 'SF1234567890',
  keyword4: '2026-12-06 12:00',
};

describe('readMessageData', () => {
  it('reads every keyword in the template’s order', () => {
    const result = readMessageData(
      data({
        keyword4: full.keyword4,
        keyword3: full.keyword3,
        keyword2: full.keyword2,
        keyword1: full.keyword1,
      }),
      keywords,
    );
    expect(result).toEqual({ ok: true, values: full });
    if (result.ok)
      expect(Object.keys(result.values)).toEqual(['keyword1', 'keyword2', 'keyword3', 'keyword4']);
  });

  it('ignores members of a keyword other than value (WeChat’s color)', () => {
    const text = JSON.stringify({
      keyword1: { value: 'A', color: '#173177' },
      keyword2: { value: 'B' },
      keyword3: { value: 'C' },
      keyword4: { value: 'D' },
    });
    expect(readMessageData(text, keywords)).toEqual({
      ok: true,
      values: { keyword1: 'A', keyword2: 'B', keyword3: 'C', keyword4: 'D' },
    });
  });

  it('accepts a value of exactly the limit, counted in characters, and refuses one more', () => {
    const atLimit = '运'.repeat(MAX_KEYWORD_VALUE_CHARS);
    expect(readMessageData(data({ ...full, keyword2: atLimit }), keywords).ok).toBe(true);
    // An emoji is one character but two UTF-16 units: 100 of them still fit.
    expect(
      readMessageData(data({ ...full, keyword2: '📦'.repeat(MAX_KEYWORD_VALUE_CHARS) }), keywords).ok,
    ).toBe(true);
    expect(readMessageData(data({ ...full, keyword2: `${atLimit}x` }), keywords)).toEqual({
      ok: false,
      problem: '关键词 keyword2（物流公司）的值超过 100 个字符',
    });
  });

  it.each([
    ['not JSON', '{keyword1:', 'data 不是合法的 JSON'],
    ['a JSON array', '[]', 'data 必须是 JSON 对象'],
    ['a JSON string', '"keyword1"', 'data 必须是 JSON 对象'],
    ['JSON null', 'null', 'data 必须是 JSON 对象'],
    ['a keyword the template lacks', data({ ...full, keyword5: 'x' }), '模板没有关键词 keyword5'],
    [
      'a missing keyword',
      data({ keyword1: 'a', keyword2: 'b', keyword3: 'c' }),
      '缺少关键词 keyword4（发货时间）',
    ],
    ['an empty value', data({ ...full, keyword3: '' }), '关键词 keyword3（运单号）的值为空'],
    ['a blank value', data({ ...full, keyword3: '  ' }), '关键词 keyword3（运单号）的值为空'],
    ['a number value', data({ ...full, keyword3: 42 }), '关键词 keyword3 必须是 {"value":"文本"}'],
    ['a bare string keyword', JSON.stringify({ keyword1: 'x' }), '关键词 keyword1 必须是'],
  ])('refuses %s', (_what, text, problem) => {
    const result = readMessageData(text, keywords);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problem);
  });
});
