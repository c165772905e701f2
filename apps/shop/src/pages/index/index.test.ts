import { createElement, type PropsWithChildren } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODES } from '@shop/contract';

// Pages import @tarojs/components (directly and through the component library), whose runtime expects globals
// that only Taro's build defines (ENABLE_INNER_HTML, ...). Unit tests under Node swap them for plain elements.
vi.mock('@tarojs/components', () => ({
  View: ({ children, className }: PropsWithChildren<{ className?: string }>) =>
    createElement('div', { className }, children),
  Text: ({ children, className }: PropsWithChildren<{ className?: string }>) =>
    createElement('span', { className }, children),
}));

// The component library renders through Taro components too; plain stand-ins keep the test about our page.
vi.mock('../../ui', () => {
  const Group = ({ children, title }: PropsWithChildren<{ title?: string }>) =>
    createElement('section', null, title, children);
  const Cell = Object.assign(
    ({ title, extra }: { title?: string; extra?: string }) => createElement('p', null, title, ' ', extra),
    { Group },
  );
  const Button = ({ children }: PropsWithChildren) => createElement('button', null, children);
  const Dialog = () => null;
  return { Button, Cell, Dialog };
});

const { default: Index } = await import('./index');

describe('index page (placeholder)', () => {
  it('renders the shop name, a value from @shop/contract and the configured API', () => {
    const html = renderToStaticMarkup(createElement(Index));
    expect(html).toContain('商城');
    expect(html).toContain('¥1,234.50');
    expect(html).toContain('API http://127.0.0.1:3000');
    expect(html).toContain(`错误码 ${Object.keys(ERROR_CODES).length} 个`);
  });
});
