import type { SiteOptions } from './proxy';

/**
 * The production example docs/deploy.md prints: two API processes on one host behind nginx, the shop's and the
 * admin's origins on 443. scripts/src/proxy.test.ts checks that the document shows exactly `siteConfig` of it, the
 * function the end-to-end proxy test and the benchmark run nginx with.
 */
export const DOC_EXAMPLE: SiteOptions = {
  upstreams: ['127.0.0.1:3001', '127.0.0.1:3002'],
  certificate: '/etc/ssl/shop/fullchain.pem',
  certificateKey: '/etc/ssl/shop/privkey.pem',
  servers: [
    {
      serverName: 'shop.example.com',
      listen: '443',
      root: '/srv/shop/apps/shop/dist/h5',
      runtimeConfig: 'window.__SHOP_CONFIG__ = {"apiBaseUrl":"https://shop.example.com"};',
    },
    {
      serverName: 'admin.example.com',
      listen: '443',
      root: '/srv/shop/apps/admin/dist/h5',
      runtimeConfig: 'window.__ADMIN_CONFIG__ = {"apiBaseUrl":"https://admin.example.com"};',
    },
  ],
};
