import { createElement, type PropsWithChildren } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';

// Pages import @tarojs/components, whose runtime expects globals that only Taro's build defines
// (ENABLE_INNER_HTML, ...). Unit tests under Node swap the components for plain elements.
vi.mock('@tarojs/components', () => ({
  View: ({ children, className }: PropsWithChildren<{ className?: string }>) =>
    createElement('div', { className }, children),
  Text: ({ children, className }: PropsWithChildren<{ className?: string }>) =>
    createElement('span', { className }, children),
}));

const { default: Index } = await import('./index');

describe('index page (placeholder)', () => {
  it('renders the shop name, a value from @shop/contract and the configured API', () => {
    const html = renderToStaticMarkup(createElement(Index));
    expect(html).toContain('商城');
    expect(html).toContain('¥1,234.50');
    expect(html).toContain('API http://127.0.0.1:3000');
  });
});
