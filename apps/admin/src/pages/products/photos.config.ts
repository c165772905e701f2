export default definePageConfig({ navigationBarTitleText: '实拍图片 · 商家后台', usingWindowScroll: true });
