export default definePageConfig({
  navigationBarTitleText: '搜索',
  onReachBottomDistance: 200,
  enablePullDownRefresh: true,
});
