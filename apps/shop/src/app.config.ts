import { buildEnv } from './env';

export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/category/index',
    'pages/cart/index',
    'pages/me/index',
    'pages/search/index',
    'pages/products/index',
    'pages/product/index',
    'pages/checkout/index',
    'pages/pay-result/index',
    'pages/pay-qr/index',
    'pages/orders/index',
    'pages/order/index',
    'pages/addresses/index',
    'pages/address-edit/index',
    'pages/after-sale-apply/index',
    'pages/after-sale/index',
    'pages/logistics/index',
    'pages/messages/index',
  ],
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#f5f6f8',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '支付宝小店',
    navigationBarTextStyle: 'black',
    // A mini-program always has its native title bar (title, and back on pages above the first). Taro's H5 build
    // draws its own only when asked: the page's title, with back (or home when the page was opened directly).
    ...(buildEnv.platform === 'h5' ? { navigationStyle: 'default' as const } : {}),
  },
  tabBar: {
    color: '#8a8f99',
    selectedColor: '#1677ff',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/icons/tab-house.png',
        selectedIconPath: 'assets/icons/tab-house-active.png',
      },
      {
        pagePath: 'pages/category/index',
        text: '分类',
        iconPath: 'assets/icons/tab-layout-grid.png',
        selectedIconPath: 'assets/icons/tab-layout-grid-active.png',
      },
      {
        pagePath: 'pages/cart/index',
        text: '购物车',
        iconPath: 'assets/icons/tab-shopping-cart.png',
        selectedIconPath: 'assets/icons/tab-shopping-cart-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/icons/tab-user.png',
        selectedIconPath: 'assets/icons/tab-user-active.png',
      },
    ],
  },
});
