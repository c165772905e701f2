export default definePageConfig({ navigationBarTitleText: '订单详情 · 商家后台', usingWindowScroll: true });
