// Dates, money, areas and numbers in the reader's locale (zh-CN: 2026年11月23日, ¥1,234.00).
import i18n from './i18n';

const locale = () => (i18n.language === 'en' ? 'en-GB' : 'zh-CN');

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** a calendar month "2026-11" */
export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short' }).format(new Date(`${month.slice(0, 7)}-01T00:00:00`));
}

export function formatMoney(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: 'CNY' }).format(amount);
}

export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

export function formatArea(m2: number | null | undefined): string {
  return m2 === null || m2 === undefined ? '—' : `${formatNumber(m2, 1)} m²`;
}
