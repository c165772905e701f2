export default definePageConfig({
  navigationBarTitleText: '支付宝小店',
  enablePullDownRefresh: true,
});
