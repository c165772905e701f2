import type { TemplateKeyword } from '../store/types';

/**
 * The `data` of alipay.open.app.mini.templatemessage.send: a JSON string of the template's keywords, each
 * `{"value": "..."}` (https://docs.alipay.com/mini/api/templatemessage: 占位符必须和申请模板时的关键词一一匹配).
 * Read strictly against the template: every keyword present and non-empty, none the template lacks, each value at
 * most MAX_KEYWORD_VALUE_CHARS characters. Other members of a keyword's object (WeChat's `color`, which code ported
 * from WeChat sends) are ignored, as Alipay documents only `value`.
 */

/** The longest keyword value the sandbox accepts, in characters (code points). */
export const MAX_KEYWORD_VALUE_CHARS = 100;

export type MessageDataResult = { ok: true; values: Record<string, string> } | { ok: false; problem: string };

const fail = (problem: string): MessageDataResult => ({ ok: false, problem });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks `data` against the template's keywords; the values come back in the template's keyword order. */
export function readMessageData(text: string, keywords: readonly TemplateKeyword[]): MessageDataResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('data 不是合法的 JSON');
  }
  if (!isPlainObject(parsed)) return fail('data 必须是 JSON 对象，如 {"keyword1":{"value":"..."}}');
  const known = new Set(keywords.map((keyword) => keyword.key));
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) return fail(`模板没有关键词 ${key}`);
  }
  const values: Record<string, string> = {};
  for (const { key, label } of keywords) {
    const node = parsed[key];
    if (node === undefined) return fail(`缺少关键词 ${key}（${label}）`);
    if (!isPlainObject(node) || typeof node.value !== 'string') {
      return fail(`关键词 ${key} 必须是 {"value":"文本"}`);
    }
    if (node.value.trim() === '') return fail(`关键词 ${key}（${label}）的值为空`);
    if ([...node.value].length > MAX_KEYWORD_VALUE_CHARS) {
      return fail(`关键词 ${key}（${label}）的值超过 ${MAX_KEYWORD_VALUE_CHARS} 个字符`);
    }
    values[key] = node.value;
  }
  return { ok: true, values };
}
