/**
 * Flat product illustrations, each drawn in a 400 x 400 box from a main colour, a darker shade and a light tone.
 * Simple geometry on purpose: they read at thumbnail size and render the same in every SVG engine.
 */

export interface IconColours {
  main: string;
  dark: string;
  light: string;
  /** An outline for very light products on a light background ('none' otherwise). */
  stroke: string;
}

type Draw = (c: IconColours) => string;

const outline = (c: IconColours) => (c.stroke === 'none' ? '' : ` stroke="${c.stroke}" stroke-width="4"`);

const ICONS = {
  tshirt: (c) =>
    `<path d="M130 60 L90 75 L30 130 L70 185 L105 160 L105 350 L295 350 L295 160 L330 185 L370 130 L310 75 L270 60 C260 95 235 110 200 110 C165 110 140 95 130 60 Z" fill="${c.main}"${outline(c)}/>` +
    `<path d="M130 60 C140 95 165 110 200 110 C235 110 260 95 270 60 L252 55 C245 80 225 92 200 92 C175 92 155 80 148 55 Z" fill="${c.dark}"/>` +
    `<rect x="105" y="330" width="190" height="20" fill="${c.dark}" opacity="0.35"/>`,
  coat: (c) =>
    `<path d="M140 55 L95 70 L55 120 L35 330 L85 335 L105 170 L105 355 L295 355 L295 170 L315 335 L365 330 L345 120 L305 70 L260 55 Z" fill="${c.main}"${outline(c)}/>` +
    `<path d="M140 55 C150 15 250 15 260 55 C245 90 155 90 140 55 Z" fill="${c.dark}"/>` +
    `<rect x="197" y="85" width="6" height="270" fill="${c.dark}"/>` +
    `<path d="M105 215 L295 215 M105 275 L295 275" stroke="${c.dark}" stroke-width="5" opacity="0.45"/>` +
    `<rect x="130" y="240" width="45" height="8" rx="4" fill="${c.dark}"/><rect x="225" y="240" width="45" height="8" rx="4" fill="${c.dark}"/>`,
  trousers: (c) =>
    `<path d="M120 50 L280 50 L305 360 L225 360 L200 150 L175 360 L95 360 Z" fill="${c.main}"${outline(c)}/>` +
    `<rect x="120" y="50" width="160" height="26" fill="${c.dark}"/>` +
    `<path d="M150 76 C150 110 130 120 118 122 M250 76 C250 110 270 120 282 122" stroke="${c.dark}" stroke-width="5" fill="none"/>` +
    `<circle cx="200" cy="63" r="6" fill="${c.light}"/>`,
  dress: (c) =>
    `<path d="M160 50 L240 50 L248 112 L226 150 L325 352 L75 352 L174 150 L152 112 Z" fill="${c.main}"${outline(c)}/>` +
    `<rect x="168" y="140" width="64" height="16" rx="4" fill="${c.dark}"/>` +
    `<path d="M140 260 L130 352 M200 260 L200 352 M260 260 L270 352" stroke="${c.dark}" stroke-width="4" opacity="0.35"/>` +
    `<path d="M160 50 C170 75 230 75 240 50" stroke="${c.dark}" stroke-width="6" fill="none"/>`,
  sneaker: (c) =>
    `<path d="M50 280 L60 190 C62 175 75 168 92 174 L150 196 C190 160 232 150 262 170 L332 226 C356 242 366 262 360 280 Z" fill="${c.main}"${outline(c)}/>` +
    `<path d="M36 280 L364 280 C374 282 374 312 362 316 L48 316 C32 314 30 284 36 280 Z" fill="${c.light}" stroke="${c.dark}" stroke-width="4"/>` +
    `<path d="M160 205 L185 188 M180 220 L205 203 M200 235 L225 218" stroke="${c.light}" stroke-width="8" stroke-linecap="round"/>` +
    `<path d="M60 250 C120 250 200 262 350 262" stroke="${c.dark}" stroke-width="6" fill="none" opacity="0.5"/>`,
  boot: (c) =>
    `<path d="M120 55 L235 55 L235 215 L330 248 C356 256 362 284 352 300 L110 300 Z" fill="${c.main}"${outline(c)}/>` +
    `<rect x="100" y="296" width="262" height="34" rx="10" fill="${c.dark}"/>` +
    `<rect x="120" y="55" width="115" height="40" fill="${c.light}" opacity="0.8"/>` +
    `<path d="M236 120 L262 120 M236 150 L262 150 M236 180 L262 180" stroke="${c.dark}" stroke-width="6" stroke-linecap="round"/>`,
  phone: (c) =>
    `<rect x="125" y="35" width="150" height="330" rx="28" fill="${c.main}"${outline(c)}/>` +
    `<rect x="137" y="55" width="126" height="290" rx="16" fill="#1D2430"/>` +
    `<rect x="137" y="55" width="126" height="290" rx="16" fill="${c.light}" opacity="0.25"/>` +
    `<rect x="178" y="64" width="44" height="12" rx="6" fill="#0E1218"/>` +
    `<path d="M150 250 C190 200 215 290 250 230" stroke="${c.light}" stroke-width="8" fill="none" stroke-linecap="round" opacity="0.8"/>`,
  headphones: (c) =>
    `<path d="M95 230 C95 80 305 80 305 230" stroke="${c.stroke === 'none' ? c.main : c.dark}" stroke-width="28" fill="none" stroke-linecap="round"/>` +
    `<rect x="60" y="200" width="78" height="130" rx="34" fill="${c.main}"${outline(c)}/>` +
    `<rect x="262" y="200" width="78" height="130" rx="34" fill="${c.main}"${outline(c)}/>` +
    `<rect x="112" y="218" width="26" height="94" rx="12" fill="${c.dark}"/>` +
    `<rect x="262" y="218" width="26" height="94" rx="12" fill="${c.dark}"/>`,
  watch: (c) =>
    `<rect x="165" y="35" width="70" height="330" rx="22" fill="${c.dark}"/>` +
    `<rect x="128" y="115" width="144" height="170" rx="40" fill="${c.main}"${outline(c)}/>` +
    `<rect x="144" y="131" width="112" height="138" rx="28" fill="#1D2430"/>` +
    `<path d="M200 165 L200 200 L228 214" stroke="${c.light}" stroke-width="8" fill="none" stroke-linecap="round"/>` +
    `<rect x="272" y="180" width="12" height="36" rx="5" fill="${c.dark}"/>`,
  laptop: (c) =>
    `<rect x="80" y="80" width="240" height="170" rx="14" fill="${c.main}"${outline(c)}/>` +
    `<rect x="96" y="96" width="208" height="138" rx="6" fill="#1D2430"/>` +
    `<path d="M110 200 L160 150 L200 185 L240 135 L290 190" stroke="${c.light}" stroke-width="8" fill="none" stroke-linejoin="round"/>` +
    `<path d="M40 262 L360 262 L340 300 L60 300 Z" fill="${c.dark}"/>` +
    `<rect x="170" y="262" width="60" height="10" rx="5" fill="${c.light}" opacity="0.6"/>`,
  powerbank: (c) =>
    `<rect x="118" y="60" width="164" height="285" rx="30" fill="${c.main}"${outline(c)}/>` +
    `<rect x="175" y="45" width="50" height="22" rx="6" fill="${c.dark}"/>` +
    `<path d="M212 140 L180 205 L208 205 L190 265 L232 188 L204 188 Z" fill="${c.light}"/>` +
    `<circle cx="170" cy="310" r="7" fill="${c.light}"/><circle cx="192" cy="310" r="7" fill="${c.light}"/>` +
    `<circle cx="214" cy="310" r="7" fill="${c.light}"/><circle cx="236" cy="310" r="7" fill="${c.dark}"/>`,
  keyboard: (c) => {
    let keys = '';
    for (let row = 0; row < 4; row++) {
      for (let col = 0; col < 10; col++) {
        keys += `<rect x="${52 + col * 30}" y="${160 + row * 28}" width="22" height="20" rx="4" fill="${c.light}"/>`;
      }
    }
    return `<rect x="30" y="140" width="340" height="140" rx="18" fill="${c.main}"${outline(c)}/>${keys}`;
  },
  mug: (c) =>
    `<path d="M100 130 L280 130 L266 330 C264 344 252 352 240 352 L140 352 C128 352 116 344 114 330 Z" fill="${c.main}"${outline(c)}/>` +
    `<path d="M278 170 C345 170 345 275 270 275" stroke="${c.dark}" stroke-width="22" fill="none"/>` +
    `<rect x="96" y="122" width="188" height="18" rx="9" fill="${c.dark}"/>` +
    `<path d="M160 100 C145 80 175 65 160 40 M205 100 C190 80 220 65 205 40" stroke="${c.dark}" stroke-width="8" fill="none" stroke-linecap="round" opacity="0.5"/>`,
  thermos: (c) =>
    `<rect x="148" y="35" width="104" height="55" rx="16" fill="${c.dark}"/>` +
    `<rect x="135" y="80" width="130" height="285" rx="42" fill="${c.main}"${outline(c)}/>` +
    `<rect x="150" y="120" width="14" height="200" rx="7" fill="${c.light}" opacity="0.55"/>` +
    `<rect x="135" y="95" width="130" height="12" fill="${c.dark}" opacity="0.5"/>`,
  giftbox: (c) =>
    `<rect x="80" y="170" width="240" height="180" rx="8" fill="${c.main}"${outline(c)}/>` +
    `<rect x="65" y="128" width="270" height="56" rx="8" fill="${c.dark}"/>` +
    `<rect x="185" y="128" width="30" height="222" fill="${c.light}"/>` +
    `<path d="M200 128 C170 80 120 90 140 120 C150 130 180 130 200 128 C220 130 250 130 260 120 C280 90 230 80 200 128 Z" fill="${c.light}" stroke="${c.dark}" stroke-width="4"/>`,
  jar: (c) =>
    `<rect x="140" y="65" width="120" height="45" rx="10" fill="${c.dark}"/>` +
    `<rect x="108" y="100" width="184" height="250" rx="44" fill="${c.main}"${outline(c)}/>` +
    `<rect x="130" y="180" width="140" height="96" rx="12" fill="${c.light}"/>` +
    `<path d="M160 228 L240 228" stroke="${c.dark}" stroke-width="8" stroke-linecap="round"/>`,
  bowl: (c) =>
    `<path d="M200 150 C160 110 170 80 200 70 C230 80 240 110 200 150 Z" fill="${c.light}" stroke="${c.dark}" stroke-width="4"/>` +
    `<ellipse cx="200" cy="200" rx="150" ry="30" fill="${c.light}" stroke="${c.dark}" stroke-width="4"/>` +
    `<path d="M50 200 L350 200 C350 292 285 345 200 345 C115 345 50 292 50 200 Z" fill="${c.main}"${outline(c)}/>` +
    `<path d="M90 240 C140 262 260 262 310 240" stroke="${c.light}" stroke-width="8" fill="none" opacity="0.6"/>`,
  lamp: (c) =>
    `<path d="M128 62 L272 62 L314 190 L86 190 Z" fill="${c.main}"${outline(c)}/>` +
    `<rect x="192" y="190" width="16" height="135" fill="${c.dark}"/>` +
    `<rect x="126" y="318" width="148" height="28" rx="14" fill="${c.dark}"/>` +
    `<path d="M120 205 L90 260 M200 205 L200 262 M280 205 L310 260" stroke="${c.light}" stroke-width="6" stroke-linecap="round" opacity="0.7"/>`,
  bedding: (c) =>
    `<rect x="40" y="150" width="320" height="190" rx="22" fill="${c.main}"${outline(c)}/>` +
    `<rect x="62" y="95" width="128" height="80" rx="28" fill="${c.light}" stroke="${c.dark}" stroke-width="4"/>` +
    `<rect x="210" y="95" width="128" height="80" rx="28" fill="${c.light}" stroke="${c.dark}" stroke-width="4"/>` +
    `<path d="M40 220 L360 220" stroke="${c.dark}" stroke-width="10"/>` +
    `<circle cx="120" cy="280" r="14" fill="${c.light}" opacity="0.7"/><circle cx="200" cy="280" r="14" fill="${c.light}" opacity="0.7"/><circle cx="280" cy="280" r="14" fill="${c.light}" opacity="0.7"/>`,
  towel: (c) =>
    `<rect x="80" y="250" width="240" height="80" rx="18" fill="${c.dark}"/>` +
    `<rect x="95" y="175" width="210" height="80" rx="18" fill="${c.main}"${outline(c)}/>` +
    `<rect x="110" y="100" width="180" height="80" rx="18" fill="${c.light}" stroke="${c.dark}" stroke-width="4"/>` +
    `<path d="M95 232 L305 232" stroke="${c.light}" stroke-width="6" opacity="0.7"/>`,
  storage: (c) =>
    `<path d="M70 140 L330 140 L310 345 L90 345 Z" fill="${c.main}"${outline(c)}/>` +
    `<rect x="60" y="120" width="280" height="32" rx="8" fill="${c.dark}"/>` +
    `<rect x="165" y="185" width="70" height="20" rx="10" fill="${c.dark}"/>` +
    `<path d="M110 240 L290 240" stroke="${c.light}" stroke-width="6" opacity="0.6"/>`,
  candle: (c) =>
    `<path d="M200 70 C180 100 185 125 200 135 C215 125 220 100 200 70 Z" fill="#F6BD60"/>` +
    `<rect x="197" y="132" width="6" height="28" fill="${c.dark}"/>` +
    `<rect x="110" y="160" width="180" height="190" rx="28" fill="${c.main}"${outline(c)}/>` +
    `<rect x="130" y="215" width="140" height="80" rx="10" fill="${c.light}"/>`,
  creamJar: (c) =>
    `<rect x="95" y="150" width="210" height="62" rx="16" fill="${c.dark}"/>` +
    `<rect x="85" y="205" width="230" height="135" rx="32" fill="${c.main}"${outline(c)}/>` +
    `<rect x="120" y="245" width="160" height="50" rx="10" fill="${c.light}"/>` +
    `<path d="M150 120 C170 90 230 90 250 120" stroke="${c.dark}" stroke-width="6" fill="none" opacity="0.4"/>`,
  lipstick: (c) =>
    `<path d="M168 200 L168 110 C168 92 200 62 232 58 L232 200 Z" fill="${c.main}"${outline(c)}/>` +
    `<rect x="156" y="195" width="88" height="36" rx="6" fill="#D4AF37"/>` +
    `<rect x="150" y="228" width="100" height="125" rx="10" fill="${c.dark}"/>`,
  bottle: (c) =>
    `<rect x="180" y="40" width="40" height="60" rx="8" fill="${c.dark}"/>` +
    `<rect x="160" y="92" width="80" height="34" rx="8" fill="${c.dark}"/>` +
    `<rect x="120" y="120" width="160" height="235" rx="36" fill="${c.main}"${outline(c)}/>` +
    `<rect x="145" y="190" width="110" height="100" rx="12" fill="${c.light}"/>` +
    `<circle cx="200" cy="240" r="22" fill="${c.main}" opacity="0.6"/>`,
  tube: (c) =>
    `<path d="M125 55 L275 55 L255 300 L145 300 Z" fill="${c.main}"${outline(c)}/>` +
    `<rect x="125" y="45" width="150" height="18" rx="4" fill="${c.dark}"/>` +
    `<rect x="150" y="295" width="100" height="60" rx="10" fill="${c.dark}"/>` +
    `<rect x="160" y="120" width="80" height="110" rx="10" fill="${c.light}"/>`,
  yogaMat: (c) =>
    `<rect x="60" y="150" width="280" height="110" rx="55" fill="${c.main}"${outline(c)}/>` +
    `<ellipse cx="315" cy="205" rx="38" ry="55" fill="${c.dark}"/>` +
    `<ellipse cx="315" cy="205" rx="22" ry="34" fill="${c.main}"/>` +
    `<ellipse cx="315" cy="205" rx="9" ry="14" fill="${c.dark}"/>` +
    `<path d="M60 300 L330 300" stroke="${c.dark}" stroke-width="10" stroke-linecap="round" opacity="0.35"/>`,
  dumbbell: (c) =>
    `<rect x="110" y="190" width="180" height="22" rx="11" fill="${c.dark}"/>` +
    `<rect x="70" y="130" width="52" height="142" rx="16" fill="${c.main}"${outline(c)}/>` +
    `<rect x="278" y="130" width="52" height="142" rx="16" fill="${c.main}"${outline(c)}/>` +
    `<rect x="40" y="160" width="36" height="82" rx="12" fill="${c.dark}"/>` +
    `<rect x="324" y="160" width="36" height="82" rx="12" fill="${c.dark}"/>`,
  jumpRope: (c) =>
    `<path d="M110 120 C60 360 340 360 290 120" stroke="${c.dark}" stroke-width="10" fill="none"/>` +
    `<rect x="90" y="40" width="40" height="100" rx="18" fill="${c.main}"${outline(c)}/>` +
    `<rect x="270" y="40" width="40" height="100" rx="18" fill="${c.main}"${outline(c)}/>`,
  box: (c) =>
    `<path d="M200 60 L340 130 L340 290 L200 360 L60 290 L60 130 Z" fill="${c.main}"${outline(c)}/>` +
    `<path d="M60 130 L200 200 L340 130 M200 200 L200 360" stroke="${c.dark}" stroke-width="8" fill="none"/>` +
    `<path d="M130 95 L270 165" stroke="${c.light}" stroke-width="14" opacity="0.7"/>`,
} satisfies Record<string, Draw>;

export type IconName = keyof typeof ICONS;

export function drawIcon(name: IconName, colours: IconColours): string {
  return ICONS[name](colours);
}

/** Title words that name what the product is, checked in order (保温杯 before 杯, 跑鞋 before 鞋). */
const KEYWORDS: ReadonlyArray<readonly [readonly string[], IconName]> = [
  [['保温杯', '水杯', '水壶', '随行杯'], 'thermos'],
  [['T恤', 't恤', '短袖', '衬衫', 'POLO', 'Polo'], 'tshirt'],
  [['卫衣', '外套', '夹克', '羽绒', '风衣', '毛衣', '针织', '开衫'], 'coat'],
  [['裙'], 'dress'],
  [['裤'], 'trousers'],
  [['靴'], 'boot'],
  [['鞋'], 'sneaker'],
  [['耳机', '音箱'], 'headphones'],
  [['手表', '手环'], 'watch'],
  [['平板', '笔记本', '电脑'], 'laptop'],
  [['充电宝', '移动电源', '充电器'], 'powerbank'],
  [['键盘'], 'keyboard'],
  [['手机'], 'phone'],
  [['咖啡', '茶', '龙井', '马克杯', '杯'], 'mug'],
  [['蜂蜜', '酱', '果干'], 'jar'],
  [['大米', '米', '面条', '挂面'], 'bowl'],
  [['礼盒', '坚果', '零食', '饼干', '月饼', '牛肉干', '巧克力'], 'giftbox'],
  [['灯'], 'lamp'],
  [['四件套', '被', '枕', '床'], 'bedding'],
  [['毛巾', '浴巾'], 'towel'],
  [['收纳'], 'storage'],
  [['香薰', '蜡烛'], 'candle'],
  [['口红', '唇'], 'lipstick'],
  [['面霜', '霜'], 'creamJar'],
  [['洗面奶', '防晒', '洁面'], 'tube'],
  [['精华', '乳液', '爽肤水', '化妆水', '香水'], 'bottle'],
  [['瑜伽'], 'yogaMat'],
  [['哑铃'], 'dumbbell'],
  [['跳绳'], 'jumpRope'],
];

const CATEGORY_DEFAULTS: Record<string, IconName> = {
  apparel: 'tshirt',
  shoes: 'sneaker',
  digital: 'phone',
  food: 'giftbox',
  home: 'lamp',
  beauty: 'creamJar',
  sports: 'yogaMat',
};

/** The illustration for a product: from its title's words, else its category's, else a parcel. */
export function iconFor(title: string, categorySlug: string): IconName {
  for (const [words, icon] of KEYWORDS) if (words.some((w) => title.includes(w))) return icon;
  return CATEGORY_DEFAULTS[categorySlug] ?? 'box';
}

export function categoryIcon(slug: string): IconName {
  return CATEGORY_DEFAULTS[slug] ?? 'box';
}
