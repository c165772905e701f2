import { areaList } from '@vant/area-data';

/**
 * China's provinces, cities and districts for the address form's 省市区 picker, from `@vant/area-data` (Vant's
 * maintained copy of the national division codes; MIT). Only its flat `areaList` is imported (about 85 KB of
 * names), never its cascader helper. Codes are six digits: a city shares its province's first two, a district its
 * city's first four; municipalities (北京市) list themselves as their one city. The lists are grouped once, on the
 * first use, not at launch.
 */

export interface RegionOption {
  code: string;
  name: string;
}

/** The three levels the picker walks through, in order. */
export const REGION_LEVELS = ['province', 'city', 'district'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** A chosen region: codes (for the picker) and names (what an address stores). */
export type RegionChoice = Record<RegionLevel, RegionOption>;

interface Tree {
  provinces: RegionOption[];
  cities: Map<string, RegionOption[]>;
  districts: Map<string, RegionOption[]>;
}

let tree: Tree | null = null;

function sorted(record: Record<string, string>): RegionOption[] {
  return Object.keys(record)
    .sort()
    .map((code) => ({ code, name: record[code] as string }));
}

function group(options: RegionOption[], prefixLength: number): Map<string, RegionOption[]> {
  const groups = new Map<string, RegionOption[]>();
  for (const option of options) {
    const key = option.code.slice(0, prefixLength);
    const list = groups.get(key);
    if (list) list.push(option);
    else groups.set(key, [option]);
  }
  return groups;
}

function regionTree(): Tree {
  tree ??= {
    provinces: sorted(areaList.province_list),
    cities: group(sorted(areaList.city_list), 2),
    districts: group(sorted(areaList.county_list), 4),
  };
  return tree;
}

/** The options of a level: every province, a province's cities, a city's districts (by the parent's code). */
export function regionOptions(level: RegionLevel, parentCode?: string): RegionOption[] {
  const { provinces, cities, districts } = regionTree();
  if (level === 'province') return provinces;
  if (!parentCode) return [];
  return (
    (level === 'city' ? cities.get(parentCode.slice(0, 2)) : districts.get(parentCode.slice(0, 4))) ?? []
  );
}

/**
 * The choice an address's names make, when they name a real province, one of its cities and one of that city's
 * districts; null otherwise (an address typed in before the picker existed), so the picker starts afresh.
 */
export function findRegion(names: { province: string; city: string; district: string }): RegionChoice | null {
  const province = regionOptions('province').find((o) => o.name === names.province);
  const city = province && regionOptions('city', province.code).find((o) => o.name === names.city);
  const district = city && regionOptions('district', city.code).find((o) => o.name === names.district);
  return province && city && district ? { province, city, district } : null;
}

/** "浙江省 杭州市 西湖区", or '' when nothing is chosen. */
export function regionText(names: { province: string; city: string; district: string }): string {
  return [names.province, names.city, names.district].filter((name) => name !== '').join(' ');
}
