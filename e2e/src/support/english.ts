/**
 * Finds English sentences in what a page shows, for a shop and an admin that speak zh-CN. A sentence here is a run
 * of two or more plain Latin words (lower-case or Capitalised, letters only) with nothing but spaces and light
 * punctuation between them: "Wrong username or password", "order paid", "payment proven by notify".
 *
 * What is not a sentence, and so allowed: a single word (Alipay's literal `success` reply, a product's "Pro"); codes
 * and identifiers (TRADE_SUCCESS, notify_id, alipay.trade.query, ACQ.TRADE_NOT_EXIST, isp.bill_not_exist); words with
 * digits or in capitals (SPF50+, OLED, GPS, CSV, 5000mAh, 12GB); numbers, order and trade numbers, amounts and units
 * (¥12.30, 1,234 ms); and the brand names listed below. Anything CJK, a digit or a code between two words breaks a
 * run, so "120 ms alipay.trade.create" is not one.
 */

/** Brand and product names that may stand next to each other as Latin words. */
const ALLOWED_PHRASES: readonly string[] = ['Alipay Sandbox', 'Ant Group'];

/** A plain word: letters only, all lower-case or one capital first (an apostrophe inside, as in "don't"). */
const WORD = /^[A-Za-z][a-z]*(?:['’][a-z]+)?$/;

/** Punctuation that may sit between the words of one sentence, or end it. */
const LIGHT = /^[,.;:!?'"“”‘’()]+$/;

export interface EnglishRun {
  text: string;
  words: string[];
}

function plainWord(token: string): string | null {
  const bare = token.replace(/^[("“‘']+/, '').replace(/[,.;:!?'"”’)]+$/, '');
  return bare !== '' && WORD.test(bare) && bare.length > 1 ? bare : null;
}

/**
 * Every English sentence in `text`: runs of at least two plain words. Tokens are what lies between spaces and CJK
 * characters (CJK and full-width punctuation always break a run).
 */
export function englishSentences(text: string): EnglishRun[] {
  const runs: EnglishRun[] = [];
  // CJK ideographs, kana, full-width forms and CJK punctuation split the text as spaces do, but also end a run.
  const segments = text.split(/[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\n\r\t·|/\\]+/);
  for (const segment of segments) {
    let current: string[] = [];
    const flush = () => {
      if (current.length >= 2) {
        const joined = current.join(' ');
        if (!ALLOWED_PHRASES.includes(joined)) runs.push({ text: joined, words: current });
      }
      current = [];
    };
    for (const token of segment.split(/\s+/).filter((t) => t !== '')) {
      if (LIGHT.test(token)) continue;
      const word = plainWord(token);
      if (word === null) flush();
      else {
        current.push(word);
        // A word ending a sentence ends the run there.
        if (/[.!?;:]$/.test(token)) flush();
      }
    }
    flush();
  }
  return runs;
}
