import {
  type AdminCategoryList,
  type AdminProductDetail,
  type AdminProductUpdateBody,
  type AdminSkuView,
  type StockAdjustmentView,
} from '@shop/contract';
import Taro from '@tarojs/taro';
import { useState } from 'react';

import { adminPage, useAdmin } from '../../components/layout';
import { BackLink } from '../../components/links';
import { BasicFields, type BasicDraft, basicProblems } from '../../components/product/basic-fields';
import { CreateProductForm } from '../../components/product/create-form';
import { PriceDialog, StockDialog } from '../../components/product/sku-dialogs';
import { Banner, Card, Empty, ErrorBanner, Money, NotLoaded, StatusTag } from '../../components/ui';
import { api, apiAsset } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { PRODUCT_STATUS_LABELS } from '../../lib/labels';
import { routeParam } from '../../lib/nav';
import { PAGES, pageUrl } from '../../lib/paths';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';

const draftOf = (p: AdminProductDetail): BasicDraft => ({
  title: p.title,
  subtitle: p.subtitle,
  description: p.description,
  categoryId: p.categoryId,
  featured: p.featured,
});

/** Only the fields that changed, so the audit log's before/after shows what the merchant edited. */
function changes(
  product: AdminProductDetail,
  draft: BasicDraft,
  images: string[],
): Partial<AdminProductUpdateBody> {
  const body: Partial<AdminProductUpdateBody> = {};
  if (draft.title.trim() !== product.title) body.title = draft.title.trim();
  if (draft.subtitle.trim() !== product.subtitle) body.subtitle = draft.subtitle.trim();
  if (draft.description.trim() !== product.description) body.description = draft.description.trim();
  if (draft.categoryId !== product.categoryId) body.categoryId = draft.categoryId;
  if (draft.featured !== product.featured) body.featured = draft.featured;
  if (images.join('\n') !== product.images.join('\n')) body.images = images;
  return body;
}

function ProductEditor({
  initial,
  categories,
}: {
  initial: AdminProductDetail;
  categories: AdminCategoryList['items'];
}) {
  const { can } = useAdmin();
  const canWrite = can('products.write');
  const [product, setProduct] = useState(initial);
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [images, setImages] = useState(initial.images);
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit();
  const [notice, setNotice] = useState<string | null>(null);
  const [priceSku, setPriceSku] = useState<AdminSkuView | null>(null);
  const [stockSku, setStockSku] = useState<AdminSkuView | null>(null);

  const problems = basicProblems(draft);
  const body = changes(product, draft, images);
  const dirty = Object.keys(body).length > 0;

  const act = (action: () => Promise<AdminProductDetail>, message: string) =>
    void run(async () => {
      setNotice(null);
      const next = await action();
      setProduct(next);
      setDraft(draftOf(next));
      setImages(next.images);
      setNotice(message);
    });
  const path = `/api/admin/products/${encodeURIComponent(product.id)}`;
  const save = () => {
    setTouched(true);
    if (Object.values(problems).some((p) => p !== null) || !dirty || images.length === 0) return;
    act(() => api.patch<AdminProductDetail>(path, body), '已保存');
  };
  const publishing = product.status !== 'PUBLISHED';
  const toggleStatus = () =>
    act(
      () => api.post<AdminProductDetail>(`${path}/${publishing ? 'publish' : 'unpublish'}`, {}),
      publishing ? '已上架' : '已下架',
    );
  const skuDone = (next: AdminProductDetail, message: string) => {
    setPriceSku(null);
    setStockSku(null);
    setProduct(next);
    setNotice(message);
  };
  const toggleImage = (image: string) =>
    setImages(images.includes(image) ? images.filter((i) => i !== image) : [...images, image]);

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-header__title row">
            {product.title}
            <StatusTag entry={PRODUCT_STATUS_LABELS[product.status]} testId="product-status" />
          </h1>
          <p className="page-header__desc">
            销量 {product.salesCount} · 创建于 {formatDateTime(product.createdAt)} · 更新于{' '}
            {formatDateTime(product.updatedAt)}
          </p>
        </div>
        {canWrite ? (
          <div className="page-header__actions">
            <button
              type="button"
              className="btn"
              onClick={toggleStatus}
              disabled={busy}
              data-testid="product-toggle"
            >
              {publishing ? '上架' : '下架'}
            </button>
            <button
              type="button"
              className="btn btn--primary"
              onClick={save}
              disabled={busy || !dirty}
              data-testid="product-save"
            >
              {busy ? '保存中…' : '保存修改'}
            </button>
          </div>
        ) : null}
      </div>
      {notice === null ? null : (
        <Banner tone="success" testId="product-notice">
          {notice}
        </Banner>
      )}
      <ErrorBanner error={error} />
      <Card title="基本信息">
        <BasicFields
          draft={draft}
          onChange={setDraft}
          categories={categories}
          problems={touched ? problems : {}}
          readOnly={!canWrite}
        />
      </Card>
      <Card
        title="实拍图片"
        extra={
          <a
            className="btn btn--small"
            href={pageUrl('productPhotos', { id: product.id })}
            data-testid="product-photos-link"
            onClick={(event) => {
              event.preventDefault();
              void Taro.navigateTo({ url: pageUrl('productPhotos', { id: product.id }) });
            }}
          >
            管理实拍图
          </a>
        }
      >
        <p className="muted" style={{ margin: 0 }}>
          上传实拍图后，商城展示实拍图（第一张为封面）；没有实拍图时展示下方的示意图。
        </p>
      </Card>
      <Card title="商品图片" extra={canWrite ? '点击选择要展示的图片，数字为展示顺序' : undefined}>
        <div className="images">
          {product.imageChoices.map((image, index) => {
            const order = images.indexOf(image);
            return (
              <button
                key={image}
                type="button"
                className={`images__choice ${order >= 0 ? 'images__choice--on' : ''}`}
                aria-pressed={order >= 0}
                aria-label={`图片 ${image.split('/').pop() ?? image}`}
                disabled={!canWrite}
                onClick={() => toggleImage(image)}
              >
                <ChoiceImage src={apiAsset(image)} label={`图 ${index + 1}`} />
                {order >= 0 ? <span className="images__badge">{order + 1}</span> : null}
              </button>
            );
          })}
        </div>
        {touched && images.length === 0 ? <p className="field__error">至少选择一张图片</p> : null}
      </Card>
      <Card title="规格、价格与库存" testId="product-skus">
        <table className="sku-table">
          <thead>
            <tr>
              <th>规格</th>
              <th>价格</th>
              <th>库存</th>
              {canWrite ? <th>操作</th> : null}
            </tr>
          </thead>
          <tbody>
            {product.skus.map((sku) => (
              <tr key={sku.id} data-testid="sku-row">
                <td>{sku.specText === '' ? '默认' : sku.specText}</td>
                <td>
                  <Money fen={sku.priceFen} />
                </td>
                <td className="num">
                  {sku.stock === 0 ? <span className="tag tag--warning">售罄</span> : sku.stock}
                </td>
                {canWrite ? (
                  <td className="row">
                    <button type="button" className="btn btn--link" onClick={() => setPriceSku(sku)}>
                      改价
                    </button>
                    <button type="button" className="btn btn--link" onClick={() => setStockSku(sku)}>
                      调整库存
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <StockHistory entries={product.stockAdjustments} />
      <PriceDialog
        productId={product.id}
        sku={priceSku}
        onClose={() => setPriceSku(null)}
        onDone={(p) => skuDone(p, '价格已更新')}
      />
      <StockDialog
        productId={product.id}
        sku={stockSku}
        onClose={() => setStockSku(null)}
        onDone={(p) => skuDone(p, '库存已调整')}
      />
    </>
  );
}

/**
 * A picture the product may show. The API serves only the pictures a product lists, so a choice not yet chosen can
 * fail to load; it then shows as a numbered tile that can still be picked.
 */
function ChoiceImage({ src, label }: { src: string; label: string }) {
  const [failed, setFailed] = useState(false);
  return failed ? (
    <span className="images__placeholder">{label}</span>
  ) : (
    <img src={src} alt="" loading="lazy" onError={() => setFailed(true)} />
  );
}

function StockHistory({ entries }: { entries: StockAdjustmentView[] }) {
  return (
    <Card title="库存调整记录" extra="最近 50 条">
      {entries.length === 0 ? (
        <Empty title="还没有库存调整" />
      ) : (
        <table className="sku-table">
          <thead>
            <tr>
              <th>时间</th>
              <th>规格</th>
              <th>变化</th>
              <th>调整后</th>
              <th>原因</th>
              <th>操作人</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td className="num">{formatDateTime(e.createdAt)}</td>
                <td>{e.specText === '' ? '默认' : e.specText}</td>
                <td className={`num ${e.deltaQty > 0 ? 'delta--up' : 'delta--down'}`}>
                  {e.deltaQty > 0 ? `+${e.deltaQty}` : e.deltaQty}
                </td>
                <td className="num">{e.stockAfter}</td>
                <td>{e.reason}</td>
                <td>{e.adminName ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function ProductPage() {
  const id = routeParam('id');
  const { can } = useAdmin();
  const categories = useApi('categories', (signal) =>
    api.get<AdminCategoryList>('/api/admin/categories', { signal }),
  );
  const product = useApi(id ?? null, (signal) =>
    api.get<AdminProductDetail>(`/api/admin/products/${encodeURIComponent(id ?? '')}`, { signal }),
  );
  const back = <BackLink href={PAGES.products}>返回商品列表</BackLink>;
  const failure = categories.error ?? product.error;
  if (
    failure !== undefined ||
    categories.data === undefined ||
    (id !== undefined && product.data === undefined)
  ) {
    return (
      <NotLoaded
        head={back}
        error={failure}
        onRetry={() => {
          categories.reload();
          product.reload();
        }}
      />
    );
  }
  if (id === undefined) {
    if (!can('products.write')) {
      return (
        <>
          {back}
          <Banner tone="warning" title="没有权限">
            店员账号不能新建商品。
          </Banner>
        </>
      );
    }
    return (
      <>
        {back}
        <div className="page-header">
          <h1 className="page-header__title">新建商品</h1>
        </div>
        <CreateProductForm
          categories={categories.data.items}
          // The new product's own page replaces the form, so the back button does not return to a spent form.
          onCreated={(created) => void Taro.redirectTo({ url: pageUrl('productEdit', { id: created.id }) })}
        />
      </>
    );
  }
  return (
    <>
      {back}
      {product.data === undefined ? null : (
        <ProductEditor
          key={product.data.updatedAt}
          initial={product.data}
          categories={categories.data.items}
        />
      )}
    </>
  );
}

export default adminPage(ProductPage, {
  section: 'products',
  title: '商品详情',
  permission: 'products.read',
});
