// The first page is the entry (`/` redirects to it); src/routes.json maps each page to its clean URL.
export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/login/index',
    'pages/orders/index',
    'pages/orders/detail',
    'pages/after-sales/index',
    'pages/after-sales/detail',
    'pages/products/index',
    'pages/products/edit',
    'pages/products/photos',
    'pages/reconciliation/index',
    'pages/reconciliation/report',
    'pages/audit/index',
    'pages/staff/index',
    'pages/settings/index',
    'pages/webhooks/index',
    'pages/webhooks/deliveries',
    'pages/notifications/index',
  ],
  window: {
    navigationBarTitleText: '商家后台',
  },
});
