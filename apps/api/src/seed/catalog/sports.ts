import type { SeedCategory } from './types';

export const sports: SeedCategory = {
  slug: 'sports',
  name: '运动',
  products: [
    {
      title: '加厚防滑瑜伽垫',
      subtitle: '高密度 NBR · 双面防滑 · 送绑带',
      description:
        '高密度 NBR 材质回弹好，跪姿练习不硌膝盖。双面防滑纹理，出汗也不打滑。附赠背带，去健身房方便携带。',
      featured: true,
      salesCount: 2880,
      specs: [
        ['颜色', ['紫色', '蓝色', '粉色']],
        ['厚度', ['6mm', '10mm']],
      ],
      price: { base: 8900, add: { '10mm': 2000 } },
      stock: 60,
    },
    {
      title: '快速可调节哑铃',
      subtitle: '2.5 至 24kg 一秒切换 · 省空间',
      description:
        '旋钮一转即可在 2.5kg 至 24kg 之间切换 15 档重量，一副哑铃顶一整排。附带收纳底座，客厅角落就能练。',
      salesCount: 310,
      specs: [['规格', ['单只 24kg', '一对 24kg']]],
      price: { base: 99900, add: { '一对 24kg': 90000 } },
      stock: 10,
    },
    {
      title: '电子计数跳绳',
      subtitle: '轴承防缠 · 自动计数 · 可调长度',
      description:
        '手柄内置计数器，自动记录次数、时长与消耗热量。钢丝绳芯外包 PVC，轴承转动顺滑不缠绳；长度可调，大人小孩都能用。',
      salesCount: 1800,
      specs: [['颜色', ['黑色', '粉色']]],
      price: 5900,
      stock: 100,
    },
    {
      title: '速干运动短袖',
      subtitle: '冰感面料 · 吸湿排汗 · 反光标识',
      description: '冰感速干面料，出汗后快速蒸发，背部网眼拼接加强透气。夜跑反光标识，运动更安心。',
      salesCount: 1500,
      specs: [
        ['颜色', ['黑色', '蓝色', '灰色']],
        ['尺码', ['M', 'L', 'XL', '2XL']],
      ],
      price: 9900,
      soldOut: ['蓝色/2XL'],
      stock: 50,
    },
  ],
};
