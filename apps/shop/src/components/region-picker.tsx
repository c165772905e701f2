import { ScrollView, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';

import {
  findRegion,
  REGION_LEVELS,
  regionOptions,
  type RegionChoice,
  type RegionLevel,
  type RegionOption,
} from '../lib/region';
import { Popup } from '../ui';
import './region-picker.css';

type Picked = Partial<RegionChoice>;

/**
 * The 省市区 picker, as popular shops draw it: a bottom sheet with the levels chosen so far as tabs (浙江省 | 杭州市
 * | 请选择) over the list of the current level. Choosing a district completes the choice and closes the sheet; a tab
 * goes back to its level. It opens on the address's current region when the names are real ones.
 */
export function RegionPicker(props: {
  open: boolean;
  value: { province: string; city: string; district: string };
  onChange: (choice: RegionChoice) => void;
  onClose: () => void;
}) {
  const [picked, setPicked] = useState<Picked>({});
  const [level, setLevel] = useState<RegionLevel>('province');
  const { open, value } = props;

  // Each opening starts from the address's region (or from scratch when it names none).
  useEffect(() => {
    if (!open) return;
    const found = findRegion(value);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the sheet's state is reset when it opens
    setPicked(found ?? {});
    setLevel(found ? 'district' : 'province');
  }, [open, value]);

  const parent = level === 'city' ? picked.province : level === 'district' ? picked.city : undefined;
  const options = regionOptions(level, parent?.code);

  const choose = (option: RegionOption) => {
    const index = REGION_LEVELS.indexOf(level);
    const next: Picked = { ...picked, [level]: option };
    // A new province or city clears what was chosen under the old one.
    for (const deeper of REGION_LEVELS.slice(index + 1)) delete next[deeper];
    setPicked(next);
    const following = REGION_LEVELS[index + 1];
    if (following) setLevel(following);
    else if (next.province && next.city && next.district) {
      props.onChange({ province: next.province, city: next.city, district: next.district });
      props.onClose();
    }
  };

  const tabs = REGION_LEVELS.slice(0, REGION_LEVELS.indexOf(level) + 1);
  return (
    <Popup
      visible={open}
      position="bottom"
      round
      closeable
      zIndex={1200}
      title="请选择所在地区"
      onClose={props.onClose}
    >
      <View className="region-picker" data-testid="region-picker">
        <View className="region-picker__tabs">
          {tabs.map((tab) => (
            <Text
              key={tab}
              className={`region-picker__tab${tab === level ? ' region-picker__tab--active' : ''}`}
              data-testid="region-tab"
              onClick={() => setLevel(tab)}
            >
              {tab === level ? (picked[tab]?.name ?? '请选择') : picked[tab]?.name}
            </Text>
          ))}
        </View>
        <ScrollView key={`${level}-${parent?.code ?? ''}`} className="region-picker__list" scrollY>
          {options.map((option) => {
            const selected = picked[level]?.code === option.code;
            return (
              <View
                key={option.code}
                className={`region-picker__option${selected ? ' region-picker__option--selected' : ''}`}
                data-testid="region-option"
                aria-label={option.name}
                aria-selected={selected}
                onClick={() => choose(option)}
              >
                <Text>{option.name}</Text>
                {selected ? <View className="region-picker__check" /> : null}
              </View>
            );
          })}
        </ScrollView>
      </View>
    </Popup>
  );
}
