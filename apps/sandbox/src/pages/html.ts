import escapeHtml from 'escape-html';

/**
 * Server-rendered HTML without a template engine: a tagged template that escapes every interpolated value unless it
 * is already SafeHtml (escaping by escape-html, the library Express uses). Pages are small and few, so this keeps
 * them readable while making "forgot to escape" impossible by construction.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a template may interpolate: text and numbers are escaped, SafeHtml is kept, empties render nothing. */
export type Interpolation = string | number | SafeHtml | null | undefined | false | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

const STYLE = `
:root { --blue: #1677ff; --blue-dark: #0958d9; --text: #1f1f1f; --muted: #8c8c8c; --line: #f0f0f0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: -apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", sans-serif;
  background: #f5f5f5; color: var(--text); }
header { background: var(--blue); color: #fff; padding: 14px 20px; font-size: 17px; font-weight: 600; }
header small { font-weight: 400; opacity: .8; margin-left: 8px; font-size: 12px; }
main { max-width: 480px; margin: 16px auto; padding: 0 12px; }
.card { background: #fff; border-radius: 12px; padding: 20px; margin-bottom: 12px; }
.amount { font-size: 36px; font-weight: 600; text-align: center; margin: 8px 0 4px; }
.subject { text-align: center; color: var(--muted); margin-bottom: 8px; word-break: break-all; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 10px 16px; margin: 0; }
dt { color: var(--muted); } dd { margin: 0; text-align: right; word-break: break-all; }
label.buyer, label.option { display: flex; align-items: center; gap: 12px; padding: 12px 0;
  border-bottom: 1px solid var(--line); }
label.buyer:last-child, label.option:last-child { border-bottom: 0; }
label.buyer span, label.option span { flex: 1; }
label.buyer em, label.option em { color: var(--muted); font-style: normal; font-size: 13px; }
button { width: 100%; border: 0; border-radius: 8px; padding: 13px; font-size: 16px; cursor: pointer; margin-top: 10px; }
button.primary { background: var(--blue); color: #fff; } button.primary:hover { background: var(--blue-dark); }
button.secondary { background: #fff; color: var(--text); border: 1px solid #d9d9d9; }
.notice { border-radius: 8px; padding: 12px; margin-bottom: 12px; background: #fff7e6; color: #ad6800; }
.error { background: #fff2f0; color: #cf1322; }
footer { text-align: center; color: var(--muted); font-size: 12px; margin: 20px 0; }
`;

/** The page frame: zh-CN, mobile viewport, Alipay-blue header, a reminder that this is not real money. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} - 支付宝沙箱</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <header>支付宝<small>本地沙箱 · 非真实资金</small></header>
        <main>${body}</main>
        <footer>Local Alipay sandbox — no real money moves.</footer>
      </body>
    </html>`.value;
}

export function errorPage(title: string, message: string): string {
  return page(title, html`<div class="card"><div class="notice error">${message}</div></div>`);
}
