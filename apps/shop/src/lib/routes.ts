import Taro from '@tarojs/taro';

/**
 * Every page's path and how to reach it. Tab pages are entered with switchTab (they take no query); the rest with
 * navigateTo, falling back to redirectTo when the page stack is full (mini-programs allow ten pages).
 */
export const TAB_PAGES = {
  home: '/pages/index/index',
  category: '/pages/category/index',
  cart: '/pages/cart/index',
  me: '/pages/me/index',
} as const;

type Query = Record<string, string | number | undefined>;

export function pageUrl(path: string, query: Query = {}): string {
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return parts.length > 0 ? `${path}?${parts.join('&')}` : path;
}

export const pages = {
  search: (q?: string) => pageUrl('/pages/search/index', { q }),
  products: (categoryId: string, name: string) => pageUrl('/pages/products/index', { categoryId, name }),
  product: (id: string) => pageUrl('/pages/product/index', { id }),
  checkoutFromCart: () => pageUrl('/pages/checkout/index', { from: 'cart' }),
  checkoutNow: (productId: string, skuId: string, quantity: number) =>
    pageUrl('/pages/checkout/index', { productId, skuId, quantity }),
  payResult: (orderId?: string, resultCode?: string) =>
    pageUrl('/pages/pay-result/index', { orderId, resultCode }),
  /** The QR code of an order, for a desktop browser. */
  payQr: (orderId: string) => pageUrl('/pages/pay-qr/index', { orderId }),
  /** `tab`: a key of ORDER_TABS (lib/orders.ts), e.g. PAID or REFUND. */
  orders: (tab?: string) => pageUrl('/pages/orders/index', { tab }),
  /** `then: 'pay'`: back from the subscribe page at checkout (H5), the order page goes on to pay. */
  order: (id: string, then?: 'pay') => pageUrl('/pages/order/index', { id, then }),
  afterSaleApply: (orderId: string) => pageUrl('/pages/after-sale-apply/index', { orderId }),
  afterSale: (id: string) => pageUrl('/pages/after-sale/index', { id }),
  logistics: (orderId: string) => pageUrl('/pages/logistics/index', { orderId }),
  addresses: () => pageUrl('/pages/addresses/index'),
  messages: () => pageUrl('/pages/messages/index'),
  addressEdit: (id?: string) => pageUrl('/pages/address-edit/index', { id }),
};

export function go(url: string): void {
  Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }));
}

export function replace(url: string): void {
  void Taro.redirectTo({ url });
}

export function goTab(tab: keyof typeof TAB_PAGES): void {
  void Taro.switchTab({ url: TAB_PAGES[tab] });
}

/** Back one page, or home when this page was opened directly (a shared link, a reload on H5). */
export function back(): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else goTab('home');
}

/**
 * A query parameter as text. Mini-program runtimes hand page queries over encoded or decoded depending on the
 * platform; decoding when the text decodes, and keeping it as it is otherwise, reads both.
 */
export function param(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
