import { describe, expect, it } from 'vitest';

import { findRegion, regionOptions, regionText } from './region';

describe('the 省市区 data', () => {
  it("lists every province, then a province's cities, then a city's districts", () => {
    const provinces = regionOptions('province');
    expect(provinces.length).toBeGreaterThanOrEqual(34);
    const zhejiang = provinces.find((p) => p.name === '浙江省');
    expect(zhejiang?.code).toBe('330000');
    const hangzhou = regionOptions('city', '330000').find((c) => c.name === '杭州市');
    expect(hangzhou?.code).toBe('330100');
    const districts = regionOptions('district', '330100').map((d) => d.name);
    expect(districts).toContain('西湖区');
    expect(districts).not.toContain('鼓楼区'); // Nanjing's, not Hangzhou's
    expect(regionOptions('city')).toEqual([]);
  });

  it('has cities for every province and districts for every city, each under its parent', () => {
    for (const province of regionOptions('province')) {
      const cities = regionOptions('city', province.code);
      expect(cities.length, province.name).toBeGreaterThan(0);
      for (const city of cities) {
        expect(city.code.slice(0, 2)).toBe(province.code.slice(0, 2));
        const districts = regionOptions('district', city.code);
        expect(districts.length, `${province.name} ${city.name}`).toBeGreaterThan(0);
        for (const district of districts) expect(district.code.slice(0, 4)).toBe(city.code.slice(0, 4));
      }
    }
  });

  it('lists a municipality as its own city', () => {
    expect(regionOptions('city', '110000').map((c) => c.name)).toEqual(['北京市']);
    expect(findRegion({ province: '北京市', city: '北京市', district: '海淀区' })).toMatchObject({
      province: { name: '北京市' },
      city: { name: '北京市' },
      district: { name: '海淀区' },
    });
  });

  it('finds the choice an address names, and nothing for names that do not fit together', () => {
    expect(findRegion({ province: '浙江省', city: '杭州市', district: '西湖区' })).toEqual({
      province: { code: '330000', name: '浙江省' },
      city: { code: '330100', name: '杭州市' },
      district: { code: '330106', name: '西湖区' },
    });
    expect(findRegion({ province: '浙江省', city: '南京市', district: '鼓楼区' })).toBeNull();
    expect(findRegion({ province: '', city: '', district: '' })).toBeNull();
  });

  it('reads as one line', () => {
    expect(regionText({ province: '浙江省', city: '杭州市', district: '西湖区' })).toBe(
      '浙江省 杭州市 西湖区',
    );
    expect(regionText({ province: '', city: '', district: '' })).toBe('');
  });
});
