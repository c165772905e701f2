import {
  type AdminProductCreateBody,
  type AdminProductDetail,
  type Category,
  formatFen,
  MAX_PRODUCT_IMAGE_CHOICES,
  MAX_PRODUCT_SKUS,
  MAX_SKU_PRICE_FEN,
} from '@shop/contract';
import { useState } from 'react';

import { api } from '../../lib/api';
import {
  parseSpecValues,
  parseStock,
  type SpecDraft,
  skuCombinations,
  specKey,
} from '../../lib/product-form';
import { useSubmit } from '../../lib/use-submit';
import { parseYuanToFen, yuanParseMessage } from '../../lib/yuan';
import { Card, ErrorBanner, Field } from '../ui';
import { BasicFields, type BasicDraft, basicProblems } from './basic-fields';

interface SkuDraft {
  price: string;
  stock: string;
}

/**
 * A new product: the basic fields, up to three spec dimensions typed as comma lists (颜色: 黑, 白), and a price and
 * stock for every combination they span. Prices are yuan strings read into fen without floats.
 */
export function CreateProductForm({
  categories,
  onCreated,
}: {
  categories: Category[];
  onCreated: (product: AdminProductDetail) => void;
}) {
  const [basic, setBasic] = useState<BasicDraft>({
    title: '',
    subtitle: '',
    description: '',
    categoryId: categories[0]?.id ?? '',
    featured: false,
  });
  const [specs, setSpecs] = useState<SpecDraft[]>([]);
  const [skus, setSkus] = useState<Record<string, SkuDraft>>({});
  const [publish, setPublish] = useState(false);
  const [imageCount, setImageCount] = useState(3);
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit();

  const dimensions = specs
    .map((s) => ({ name: s.name.trim(), values: parseSpecValues(s.values) }))
    .filter((d) => d.name !== '' || d.values.length > 0);
  const combos = skuCombinations(dimensions);
  const specProblem = dimensions.some((d) => d.name === '' || d.values.length === 0)
    ? '每个规格都需要名称和至少一个值'
    : new Set(dimensions.map((d) => d.name)).size !== dimensions.length
      ? '规格名称不能重复'
      : combos.length > MAX_PRODUCT_SKUS
        ? `最多 ${MAX_PRODUCT_SKUS} 个规格组合`
        : null;
  const rows = combos.map((specsOf) => {
    const key = specKey(specsOf);
    const draft = skus[key] ?? { price: '', stock: '' };
    return {
      key,
      specs: specsOf,
      draft,
      price: parseYuanToFen(draft.price, MAX_SKU_PRICE_FEN),
      stock: parseStock(draft.stock),
    };
  });
  const problems = basicProblems(basic);
  const skusOk = rows.length > 0 && rows.every((r) => r.price.ok && r.stock.ok);

  const setSku = (key: string, patch: Partial<SkuDraft>) =>
    setSkus((old) => ({ ...old, [key]: { ...(old[key] ?? { price: '', stock: '' }), ...patch } }));
  const fillAll = (patch: Partial<SkuDraft>) => rows.forEach((r) => setSku(r.key, patch));

  const submit = () => {
    setTouched(true);
    if (Object.values(problems).some((p) => p !== null) || specProblem !== null || !skusOk) return;
    void run(async () => {
      const body: AdminProductCreateBody = {
        categoryId: basic.categoryId,
        title: basic.title.trim(),
        subtitle: basic.subtitle.trim(),
        description: basic.description.trim(),
        featured: basic.featured,
        status: publish ? 'PUBLISHED' : 'DRAFT',
        specs: dimensions,
        skus: rows.map((r) => ({
          specs: r.specs,
          priceFen: r.price.ok ? r.price.fen : 0,
          stock: r.stock.ok ? r.stock.value : 0,
        })),
        imageCount,
      };
      onCreated(await api.post<AdminProductDetail>('/api/admin/products', body));
    });
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="product-create-form"
    >
      <ErrorBanner error={error} />
      <Card title="基本信息">
        <BasicFields
          draft={basic}
          onChange={setBasic}
          categories={categories}
          problems={touched ? problems : {}}
        />
        <div className="row" style={{ gap: 24 }}>
          <Field label="商品图片数量" hint="系统按商品生成示意图">
            {(p) => (
              <select
                {...p}
                className="select"
                value={imageCount}
                onChange={(e) => setImageCount(Number(e.target.value))}
              >
                {Array.from({ length: MAX_PRODUCT_IMAGE_CHOICES }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n} 张
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="checkbox">
            <input type="checkbox" checked={publish} onChange={(e) => setPublish(e.target.checked)} />
            创建后立即上架
          </label>
        </div>
      </Card>
      <Card
        title="规格"
        extra={
          specs.length < 3 ? (
            <button
              type="button"
              className="btn btn--small"
              onClick={() => setSpecs([...specs, { name: '', values: '' }])}
            >
              添加规格
            </button>
          ) : undefined
        }
      >
        {specs.length === 0 ? (
          <p className="muted">单一规格商品。需要颜色、尺码等选项时点击“添加规格”。</p>
        ) : null}
        {specs.map((spec, index) => (
          <div className="row spec-row" key={index}>
            <input
              className="input spec-row__name"
              aria-label={`规格 ${index + 1} 名称`}
              placeholder="名称，如 颜色"
              value={spec.name}
              maxLength={10}
              onChange={(e) =>
                setSpecs(specs.map((s, i) => (i === index ? { ...s, name: e.target.value } : s)))
              }
            />
            <input
              className="input grow"
              aria-label={`规格 ${index + 1} 的值`}
              placeholder="值，用逗号分隔，如 黑, 白, 红"
              value={spec.values}
              onChange={(e) =>
                setSpecs(specs.map((s, i) => (i === index ? { ...s, values: e.target.value } : s)))
              }
            />
            <button
              type="button"
              className="btn btn--link"
              onClick={() => setSpecs(specs.filter((_, i) => i !== index))}
            >
              删除
            </button>
          </div>
        ))}
        {specProblem === null ? null : <p className="field__error">{specProblem}</p>}
      </Card>
      <Card
        title={`价格与库存（${rows.length} 个 SKU）`}
        extra={
          rows.length > 1 ? (
            <>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => fillAll({ price: rows[0]?.draft.price ?? '' })}
              >
                价格同第一行
              </button>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => fillAll({ stock: rows[0]?.draft.stock ?? '' })}
              >
                库存同第一行
              </button>
            </>
          ) : undefined
        }
      >
        <table className="sku-table">
          <thead>
            <tr>
              <th>规格</th>
              <th>价格（元）</th>
              <th>库存</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const label = Object.values(row.specs).join(' / ') || '默认';
              return (
                <tr key={row.key}>
                  <td>{label}</td>
                  <td>
                    <input
                      className="input"
                      inputMode="decimal"
                      aria-label={`${label} 价格`}
                      aria-invalid={touched && !row.price.ok}
                      value={row.draft.price}
                      onChange={(e) => setSku(row.key, { price: e.target.value })}
                    />
                    {touched && !row.price.ok ? (
                      <div className="field__error">
                        {yuanParseMessage(row.price.reason, `最高 ${formatFen(MAX_SKU_PRICE_FEN)}`)}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <input
                      className="input"
                      inputMode="numeric"
                      aria-label={`${label} 库存`}
                      aria-invalid={touched && !row.stock.ok}
                      value={row.draft.stock}
                      onChange={(e) => setSku(row.key, { stock: e.target.value })}
                    />
                    {touched && !row.stock.ok ? (
                      <div className="field__error">{row.stock.message}</div>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn--primary"
          disabled={busy}
          data-testid="product-create-submit"
        >
          {busy ? '创建中…' : '创建商品'}
        </button>
      </div>
    </form>
  );
}
