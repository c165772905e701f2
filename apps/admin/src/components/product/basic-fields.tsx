import { type Category } from '@shop/contract';

import { Field } from '../ui';
import './product.css';

export interface BasicDraft {
  title: string;
  subtitle: string;
  description: string;
  categoryId: string;
  featured: boolean;
}

export type BasicProblems = Partial<Record<keyof BasicDraft, string | null>>;

/** The contract's limits (AdminProductCreateBody), checked before sending so the merchant sees them by the field. */
export function basicProblems(draft: BasicDraft): BasicProblems {
  const title = draft.title.trim();
  return {
    title: title === '' ? '请填写标题' : title.length > 60 ? '标题最多 60 个字' : null,
    subtitle: draft.subtitle.trim().length > 120 ? '副标题最多 120 个字' : null,
    description: draft.description.trim().length > 2000 ? '描述最多 2000 个字' : null,
    categoryId: draft.categoryId === '' ? '请选择分类' : null,
  };
}

export function BasicFields({
  draft,
  onChange,
  categories,
  problems,
  readOnly,
}: {
  draft: BasicDraft;
  onChange: (draft: BasicDraft) => void;
  categories: Category[];
  problems: BasicProblems;
  readOnly?: boolean;
}) {
  return (
    <div className="basic-fields">
      <Field label="标题" required error={problems.title}>
        {(p) => (
          <input
            {...p}
            className="input"
            maxLength={60}
            readOnly={readOnly}
            value={draft.title}
            onChange={(e) => onChange({ ...draft, title: e.target.value })}
            data-testid="product-title"
          />
        )}
      </Field>
      <Field label="分类" required error={problems.categoryId}>
        {(p) => (
          <select
            {...p}
            className="select"
            disabled={readOnly}
            value={draft.categoryId}
            onChange={(e) => onChange({ ...draft, categoryId: e.target.value })}
          >
            <option value="">请选择</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="副标题" error={problems.subtitle}>
        {(p) => (
          <input
            {...p}
            className="input"
            maxLength={120}
            readOnly={readOnly}
            value={draft.subtitle}
            onChange={(e) => onChange({ ...draft, subtitle: e.target.value })}
          />
        )}
      </Field>
      <Field label="推荐">
        {(p) => (
          <label className="checkbox basic-fields__check">
            <input
              {...p}
              type="checkbox"
              disabled={readOnly}
              checked={draft.featured}
              onChange={(e) => onChange({ ...draft, featured: e.target.checked })}
            />
            在首页推荐位展示
          </label>
        )}
      </Field>
      <div className="basic-fields__wide">
        <Field label="商品描述" error={problems.description}>
          {(p) => (
            <textarea
              {...p}
              className="textarea"
              rows={4}
              maxLength={2000}
              readOnly={readOnly}
              value={draft.description}
              onChange={(e) => onChange({ ...draft, description: e.target.value })}
            />
          )}
        </Field>
      </div>
    </div>
  );
}
