import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';

import { ProductFeed } from '../../components/product-feed';
import { param } from '../../lib/routes';
import './index.css';

const SUGGESTIONS = ['保温杯', 'T恤', '耳机', '咖啡', '运动鞋', '面霜', '充电宝', '坚果'];

/** Search: the keyword box and, once a keyword is given, the matching products (sort and infinite scroll). */
export default function SearchPage() {
  const initial = param(useRouter().params.q) ?? '';
  const [draft, setDraft] = useState(initial);
  const [q, setQ] = useState(initial);

  const submit = (value: string) => {
    const keyword = value.trim().slice(0, 50);
    setDraft(keyword);
    setQ(keyword);
  };

  return (
    <View className="page search-page">
      <View className="search-bar">
        <View className="search-bar__box">
          <Input
            className="field search-bar__input"
            data-testid="search-input"
            value={draft}
            placeholder="搜索商品"
            confirmType="search"
            focus={initial === ''}
            maxlength={50}
            onInput={(e) => setDraft(e.detail.value)}
            onConfirm={(e) => submit(e.detail.value)}
          />
        </View>
        <Text className="search-bar__go" data-testid="search-submit" onClick={() => submit(draft)}>
          搜索
        </Text>
      </View>
      {q === '' ? (
        <View className="card">
          <Text className="card__title">大家都在搜</Text>
          <View className="search-hot">
            {SUGGESTIONS.map((word) => (
              <Text key={word} className="search-hot__word" onClick={() => submit(word)}>
                {word}
              </Text>
            ))}
          </View>
        </View>
      ) : (
        <ProductFeed key={q} q={q} emptyTitle={`没有找到“${q}”相关的商品`} />
      )}
    </View>
  );
}
