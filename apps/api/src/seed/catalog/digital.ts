import type { SeedCategory } from './types';

export const digital: SeedCategory = {
  slug: 'digital',
  name: '数码',
  products: [
    {
      title: '星耀 X5 5G 智能手机',
      subtitle: '6.7 英寸 OLED · 5000mAh · 一亿像素',
      description:
        '6.7 英寸 120Hz OLED 屏，户外强光下依旧清晰。5000mAh 电池配 67W 快充，30 分钟充至 80%。一亿像素主摄支持夜景与人像模式，双卡双待，支持 NFC 与红外遥控。',
      featured: true,
      salesCount: 1820,
      specs: [
        ['颜色', ['曜石黑', '冰川蓝', '钛金属银']],
        ['容量', ['8GB+128GB', '12GB+256GB', '12GB+512GB']],
      ],
      price: { base: 329900, add: { '12GB+256GB': 50000, '12GB+512GB': 100000 } },
      soldOut: ['冰川蓝/12GB+512GB'],
      stock: 40,
    },
    {
      title: '主动降噪头戴式耳机',
      subtitle: '自适应降噪 · 40 小时续航 · 蓝牙 5.3',
      description:
        '双馈降噪芯片，地铁与飞机上的低频噪音明显降低；通透模式一键切换，听得见站台广播。蛋白皮耳罩柔软贴合，折叠收纳，随附硬壳收纳包。',
      salesCount: 1340,
      specs: [['颜色', ['黑色', '米白', '雾霾蓝']]],
      price: 89900,
      soldOut: ['雾霾蓝'],
      stock: 30,
    },
    {
      title: '真无线蓝牙耳机 Pro',
      subtitle: '空间音频 · 无线充电盒 · IP54 防水',
      description:
        '单耳仅 4.8g，长时间佩戴不胀耳。支持空间音频与双设备连接，手机与电脑间无缝切换。充电盒支持无线充电，总续航 30 小时。',
      featured: true,
      salesCount: 5210,
      specs: [['颜色', ['白色', '黑色']]],
      price: 49900,
      stock: 120,
    },
    {
      title: '智能运动手表',
      subtitle: '血氧心率监测 · 双频 GPS · 14 天续航',
      description:
        '1.43 英寸 AMOLED 屏，支持 150 余种运动模式与双频 GPS 精准定位。全天候心率、血氧与睡眠监测，5ATM 防水可戴着游泳。',
      salesCount: 980,
      specs: [
        ['颜色', ['黑色', '粉色']],
        ['表带', ['硅胶表带', '编织表带']],
      ],
      price: { base: 69900, add: { 编织表带: 3000 } },
      stock: 30,
    },
    {
      title: '20000mAh 快充充电宝',
      subtitle: '65W 双向快充 · 可带上飞机 · 三口输出',
      description:
        '20000mAh 大容量，手机可充 4 次，也能给笔记本电脑应急补电。65W 输出，三口同时充电智能分配功率。额定能量 74Wh，符合民航随身携带规定。',
      salesCount: 3050,
      specs: [['颜色', ['白色', '黑色']]],
      price: 15900,
      stock: 80,
    },
    {
      title: '11 英寸平板电脑',
      subtitle: '2.5K 护眼屏 · 8GB 运行内存 · 四扬声器',
      description:
        '11 英寸 2.5K 屏幕通过低蓝光与无频闪认证，网课、追剧长时间观看不累眼。8GB 运行内存，分屏多任务流畅；支持手写笔与磁吸键盘（另购）。',
      salesCount: 640,
      specs: [
        ['颜色', ['深空灰', '银色']],
        ['容量', ['128GB', '256GB']],
      ],
      price: { base: 199900, add: { '256GB': 40000 } },
      soldOut: ['银色/256GB'],
      stock: 20,
    },
    {
      title: '三模机械键盘',
      subtitle: '蓝牙 / 2.4G / 有线 · 热插拔轴座',
      description:
        '87 键紧凑布局，三模连接可同时配对三台设备。热插拔轴座，轴体随心更换；PBT 键帽不打油。内置 4000mAh 电池，关灯使用可续航一个月。',
      salesCount: 870,
      specs: [
        ['颜色', ['白色', '黑色']],
        ['轴体', ['茶轴', '红轴', '青轴']],
      ],
      price: 39900,
      soldOut: ['黑色/青轴'],
      stock: 25,
    },
  ],
};
