import type { SeedCategory } from './types';

export const home: SeedCategory = {
  slug: 'home',
  name: '家居',
  products: [
    {
      title: '60 支长绒棉床品四件套',
      subtitle: '新疆长绒棉 · 亲肤透气 · 不起球',
      description:
        '60 支新疆长绒棉贡缎工艺，丝滑柔软，越洗越舒服。含被套、床单与两只枕套；活性印染，色牢度 4 级以上，洗后不褪色。',
      featured: true,
      salesCount: 1120,
      specs: [
        ['颜色', ['月光白', '雾霾蓝', '燕麦色']],
        ['尺寸', ['1.5m 床', '1.8m 床']],
      ],
      price: { base: 59900, add: { '1.8m 床': 10000 } },
      stock: 25,
    },
    {
      title: '316 不锈钢保温杯',
      subtitle: '12 小时保温 · 一键弹盖 · 防漏',
      description:
        '316 医用级不锈钢内胆，装茶装咖啡都不串味。真空双层结构，热饮 12 小时仍有 60℃。弹盖带安全锁扣，放进包里也不会洒。',
      salesCount: 4380,
      specs: [
        ['颜色', ['白色', '黑色', '薄荷绿', '樱花粉']],
        ['容量', ['350ml', '500ml']],
      ],
      price: { base: 12900, add: { '500ml': 2000 } },
      soldOut: ['樱花粉/350ml'],
      stock: 90,
    },
    {
      title: '护眼 LED 台灯',
      subtitle: '国 AA 级照度 · 无频闪 · 三档色温',
      description:
        '国 AA 级照度标准，桌面光线均匀不刺眼，适合阅读与写作业。三档色温、无级调光，记忆上次亮度；底座带 USB 充电口。',
      salesCount: 1630,
      specs: [['颜色', ['白色', '黑色']]],
      price: 19900,
      stock: 50,
    },
    {
      title: '无火香薰套装',
      subtitle: '天然植物精油 · 200ml · 持香 60 天',
      description:
        '天然植物精油调香，配 8 根藤条，无需点火即可慢慢挥发，放在卧室、客厅或玄关都合适。翻转藤条可让香气更浓。',
      salesCount: 990,
      specs: [['香型', ['白茶', '雪松', '橙花']]],
      price: 8900,
      stock: 40,
    },
    {
      title: '纯棉加厚毛巾三条装',
      subtitle: 'A 类母婴标准 · 吸水快干 · 不掉毛',
      description:
        '32 股精梳棉加厚毛圈，吸水快、手感蓬松。A 类母婴标准，宝宝也能用。三条装，家人分开使用更卫生。',
      salesCount: 6200,
      specs: [['颜色', ['米白', '浅灰', '浅蓝']]],
      price: 4900,
      stock: 150,
    },
    {
      title: '可叠加衣物收纳箱',
      subtitle: '66L 大容量 · 三个装 · 带滑轮',
      description:
        '66L 大容量，换季衣物、被子都放得下。箱盖加厚承重，可叠放三层；底部万向轮，塞进床底也能轻松拉出。本批次已售罄，补货中。',
      salesCount: 2400,
      price: 9900,
      soldOut: [''],
    },
  ],
};
