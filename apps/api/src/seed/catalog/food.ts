import type { SeedCategory } from './types';

export const food: SeedCategory = {
  slug: 'food',
  name: '食品',
  products: [
    {
      title: '明前特级西湖龙井',
      subtitle: '2026 新茶 · 核心产区 · 礼罐装',
      description:
        '杭州龙井村核心产区明前采摘，一芽一叶，手工炒制。汤色嫩绿明亮，豆香清高，回甘持久。建议 80℃ 水温、玻璃杯冲泡，密封冷藏保存。',
      featured: true,
      salesCount: 1290,
      specs: [['规格', ['100g 罐装', '250g 礼罐']]],
      price: { base: 16800, add: { '250g 礼罐': 22000 } },
      stock: 40,
    },
    {
      title: '每日坚果混合装',
      subtitle: '7 种坚果果干 · 独立小袋 · 0 添加糖',
      description:
        '腰果、巴旦木、榛子、核桃仁、蔓越莓干、蓝莓干、南瓜子科学配比，每袋 25g 刚好一天的量。独立充氮包装，随身携带不受潮。',
      salesCount: 8400,
      specs: [['规格', ['15 袋装', '30 袋装']]],
      price: { base: 6900, add: { '30 袋装': 6000 } },
      stock: 200,
    },
    {
      title: '云南小粒咖啡豆',
      subtitle: '保山产区 · 中深烘焙 · 500g',
      description:
        '云南保山高海拔小粒咖啡，中深烘焙带来坚果与可可风味，酸度柔和。可选整豆或中细研磨（适合手冲与摩卡壶），下单后 48 小时内新鲜烘焙发出。',
      salesCount: 2160,
      specs: [['研磨', ['整豆', '中细研磨']]],
      price: 8900,
      stock: 60,
    },
    {
      title: '五常稻花香大米 5kg',
      subtitle: '当季新米 · 原产地直发 · 真空包装',
      description:
        '黑龙江五常核心产区稻花香 2 号，米粒细长，煮熟后清香软糯、冷饭不回生。1kg 真空小包装，开一袋吃一袋，防潮防虫。',
      salesCount: 3930,
      price: 8990,
      stock: 150,
    },
    {
      title: '内蒙古风干牛肉干',
      subtitle: '手撕风干 · 高蛋白 · 独立包装',
      description:
        '选用内蒙古草原黄牛后腿肉，传统风干工艺，越嚼越香。每 100g 含蛋白质 45g，是健身与出游的好零食。开袋即食，建议 7 天内吃完。',
      salesCount: 2770,
      specs: [
        ['口味', ['原味', '麻辣', '五香']],
        ['规格', ['250g', '500g']],
      ],
      price: { base: 5900, add: { '500g': 5000 } },
      soldOut: ['麻辣/500g'],
      stock: 60,
    },
    {
      title: '农家土蜂蜜',
      subtitle: '秦岭百花蜜 · 500g 玻璃瓶',
      description:
        '秦岭山区蜂农自然成熟封盖蜜，浓度 42 波美度以上。低温下出现结晶是天然蜂蜜的正常现象，不影响食用。请勿用 60℃ 以上热水冲调。',
      salesCount: 1420,
      price: 6800,
      stock: 45,
    },
  ],
};
