import type { SeedCategory } from './types';

export const beauty: SeedCategory = {
  slug: 'beauty',
  name: '美妆',
  products: [
    {
      title: '玻尿酸保湿面霜',
      subtitle: '72 小时保湿 · 敏感肌可用 · 50g',
      description:
        '三重分子玻尿酸配神经酰胺，补水同时修护屏障。质地轻盈易推开，不黏腻不闷痘。无香精、无酒精，敏感肌可用。',
      featured: true,
      salesCount: 3120,
      price: 26900,
      stock: 80,
    },
    {
      title: '丝绒哑光口红',
      subtitle: '显白不拔干 · 持妆 8 小时',
      description: '丝绒雾面质地，一抹显色，薄涂日常、厚涂气场全开。添加荷荷巴油与维生素 E，哑光也不拔干。',
      salesCount: 5400,
      specs: [['色号', ['#999 正红', '#316 砖红', '#520 豆沙粉', '#888 珊瑚橘']]],
      price: 32000,
      soldOut: ['#316 砖红'],
      stock: 70,
    },
    {
      title: '烟酰胺焕亮精华液',
      subtitle: '5% 烟酰胺 · 提亮肤色 · 淡化痘印',
      description:
        '5% 烟酰胺配传明酸，坚持使用 28 天肤色更均匀透亮。水感质地，早晚洁面后取 3 至 4 滴轻拍至吸收。初次使用建议先在耳后试用。',
      salesCount: 2230,
      specs: [['规格', ['30ml', '50ml']]],
      price: { base: 19900, add: { '50ml': 10000 } },
      stock: 60,
    },
    {
      title: '清爽防晒乳 SPF50+',
      subtitle: 'PA++++ · 轻薄不油腻 · 50ml',
      description:
        '新一代防晒剂组合，SPF50+ PA++++ 高倍防护。质地如乳液般清爽，上脸不搓泥、不泛白，可作妆前打底。户外活动请每 2 小时补涂。',
      salesCount: 4100,
      price: 12900,
      stock: 100,
    },
    {
      title: '氨基酸洗面奶',
      subtitle: '温和清洁 · 弱酸性 · 120g',
      description: '氨基酸表活配方，pH 值接近肌肤，洗后干净不紧绷。绵密泡沫带走油脂与防晒，早晚均可使用。',
      salesCount: 5600,
      price: 6900,
      stock: 120,
    },
    {
      title: '玫瑰补水面膜 10 片装',
      subtitle: '保加利亚玫瑰 · 天丝膜布',
      description:
        '保加利亚玫瑰纯露配玻尿酸，一片满满精华。天丝膜布轻薄服帖，敷 15 分钟后取下，轻拍剩余精华至吸收即可。',
      salesCount: 3700,
      price: 9900,
      stock: 90,
    },
  ],
};
