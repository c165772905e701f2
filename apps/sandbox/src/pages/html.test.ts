import { describe, expect, it } from 'vitest';
import { html, SafeHtml } from './html';
import { withParams } from './page-support';

describe('html template', () => {
  it('escapes every interpolated value unless it is SafeHtml', () => {
    const name = '<img src=x onerror="alert(1)">&';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;</p>',
    );
    expect(html`<div>${html`<b>${'<i>'}</b>`}</div>`.value).toBe('<div><b>&lt;i&gt;</b></div>');
    expect(html`${['<a>', new SafeHtml('<br>')]}`.value).toBe('&lt;a&gt;<br>');
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
  });

  it('appends redirect parameters and keeps existing ones', () => {
    expect(withParams('https://a.test/cb?x=1', { auth_code: 'c d', state: undefined })).toBe(
      'https://a.test/cb?x=1&auth_code=c+d',
    );
  });
});
