// A modal <dialog> for one action that needs a few words (a note, a reason, a date): the browser's
// own modal, so Escape closes it and focus stays inside. The API's complaint shows next to its field.
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';
import { problemAt } from '../../client';
import { ApiError } from '../../components/ui';
import { useCaller } from '../../session';

export function ActionDialog({
  open,
  title,
  submitLabel,
  onSubmit,
  onClose,
  error,
  busy,
  shownFields,
  children,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  onSubmit(): void;
  onClose(): void;
  error?: CombinedError | undefined | null;
  busy?: boolean;
  shownFields?: string[];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <dialog ref={ref} aria-label={title} onClose={onClose}>
      {open && (
        <form className="form stacked" onSubmit={submit}>
          <h2>{title}</h2>
          {children}
          <ApiError error={error} shownFields={shownFields ?? []} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {submitLabel}
            </button>
            <button type="button" className="secondary" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

/** today in the browser's calendar, as the API's dates are written (2026-11-23) */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const EXIT_GROUNDS = [
  'NOT_LIVING_IN_UNIT',
  'RENT_ARREARS',
  'UNREPORTED_CHANGE',
  'NO_LONGER_QUALIFIED',
  'SUBLET_LENT_OR_SWAPPED',
  'DAMAGED_OR_USE_CHANGED',
  'OTHER_LEGAL_GROUNDS',
] as const;

/** the exit ground an alert's rule suggests */
export function groundOfRule(rule: string): string {
  if (rule.startsWith('VACANCY')) return 'NOT_LIVING_IN_UNIT';
  if (rule.startsWith('RENT_ARREARS')) return 'RENT_ARREARS';
  if (rule.startsWith('USE_')) return 'SUBLET_LENT_OR_SWAPPED';
  if (rule === 'QUALIFICATION_FLIPPED' || rule === 'ALLOWANCE_ENDED') return 'NO_LONGER_QUALIFIED';
  if (rule === 'MEMBER_DEATH') return 'UNREPORTED_CHANGE';
  return 'OTHER_LEGAL_GROUNDS';
}

/** the API's complaint about one field, without the field's path it starts with ("input.members[0].residentId: …") */
export function fieldProblem(error: CombinedError | undefined | null, field: string): string | undefined {
  return problemAt(error, field)?.replace(/^[\w.[\]]+: /, '');
}

/** the districts a caller may work in, of all the bureau's (a caller bound to districts sees only its own offered) */
export function useOwnDistricts<D extends { id: string }>(all: D[] | undefined): D[] {
  const caller = useCaller();
  if (!all) return [];
  return caller.districts ? all.filter((d) => caller.districts!.includes(d.id)) : all;
}
