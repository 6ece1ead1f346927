// Small shared pieces every screen uses: a labelled field with the API's complaint beside it, the
// API's errors, a pager, a badge, a progress line. Plain HTML controls, so the keyboard works.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';
import { problemsOf } from '../client';
import { useCaller } from '../session';

export function Field({ label, error, children, hint }: { label: string; error?: string | undefined; children: ReactNode; hint?: string }) {
  return (
    <label className={`field${error ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

/** the API's errors that no field shows (pass the fields a form shows beside their inputs) */
export function ApiError({ error, shownFields = [] }: { error: CombinedError | undefined | null; shownFields?: string[] }) {
  const { t } = useTranslation();
  const problems = problemsOf(error).filter((p) => !p.field || !shownFields.some((f) => p.field === f || p.field?.split('.').pop() === f));
  if (!problems.length) return null;
  return (
    <div className="api-error" role="alert">
      {problems.map((p, i) => (
        <p key={i}>
          {p.code === 'FORBIDDEN' ? t('common.notAllowed') : p.code === 'NOT_FOUND' ? t('common.notFound') : t('common.error', { message: p.message })}
        </p>
      ))}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

/** a long operation (import, draw, review) under way */
export function Working({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="working" role="status" aria-live="polite">
      <progress />
      <span>{label ?? t('common.working')}</span>
    </div>
  );
}

export type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'info';

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** forward-only keyset paging as the API pages: first page, next page */
export function Pager({
  totalCount,
  page,
  hasNextPage,
  onNext,
  onFirst,
}: {
  totalCount: number;
  page: number;
  hasNextPage: boolean;
  onNext(): void;
  onFirst(): void;
}) {
  const { t } = useTranslation();
  return (
    <nav className="pager" aria-label="pagination">
      <span>{t('common.total', { count: totalCount })}</span>
      <span>{t('common.page', { page })}</span>
      <button type="button" onClick={onFirst} disabled={page === 1}>
        {t('common.first')}
      </button>
      <button type="button" onClick={onNext} disabled={!hasNextPage}>
        {t('common.next')}
      </button>
    </nav>
  );
}

export interface FilterOption {
  value: string;
  label: string;
}

/** a filter's drop-down: "all" (the empty value), then each option; `all={false}` where one must be chosen */
export function FilterSelect({
  label,
  value,
  options,
  all,
  onChange,
}: {
  label: string;
  value: string;
  options: FilterOption[];
  all?: string | false;
  onChange(value: string): void;
}) {
  const { t } = useTranslation();
  return (
    <Field label={label}>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {all !== false && <option value="">{all ?? t('common.all')}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** values as a filter's options, each with its label */
export function labelled(values: readonly string[], labelOf: (value: string) => string): FilterOption[] {
  return values.map((value) => ({ value, label: labelOf(value) }));
}

/** districts as a filter's options */
export function districtOptions(districts: { id: string; name: string }[] | undefined): FilterOption[] {
  return (districts ?? []).map((d) => ({ value: d.id, label: d.name }));
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card" aria-label={title}>
      <header className="card-header">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** a form's buttons: submit (disabled while busy; red when it removes or ends something) and, with onCancel, cancel */
export function FormActions({ submit, busy, danger, onCancel }: { submit: string; busy?: boolean; danger?: boolean; onCancel?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>
        {submit}
      </button>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </div>
  );
}

export type Column = string | { label: string; num?: boolean; hidden?: boolean } | false | undefined;

/** a table's header row: one column header a label (a number column right-aligned, a hidden label read
 * only by screen readers); false leaves a column out (an action the caller may not take) */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => {
          if (!c) return null;
          const { label, num, hidden } = typeof c === 'string' ? { label: c } : c;
          return (
            <th key={i} scope="col" className={num ? 'num' : undefined}>
              {hidden ? <span className="visually-hidden">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** the districts the caller works in: a caseworker's own, everyone else's all */
export function useCallersDistricts<D extends { id: string }>(districts: D[] | undefined): D[] {
  const caller = useCaller();
  return (districts ?? []).filter((d) => !caller.districts || caller.districts.includes(d.id));
}

/** a district filter's options: all, then each district the caller works in */
export function DistrictOptions({ districts }: { districts: { id: string; name: string }[] | undefined }) {
  const { t } = useTranslation();
  const mine = useCallersDistricts(districts);
  return (
    <>
      <option value="">{t('common.all')}</option>
      {mine.map((d) => (
        <option key={d.id} value={d.id}>
          {d.name}
        </option>
      ))}
    </>
  );
}
