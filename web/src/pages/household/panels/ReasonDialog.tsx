// A confirmation that asks why (removing a special difficulty, revoking an exception): a modal
// <dialog>, the reason next to the API's complaint about it, open until the API accepts.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';
import { problemAt } from '../../../client';
import { ApiError, Field } from '../../../components/ui';

export function ReasonDialog({
  title,
  summary,
  label,
  confirm,
  error,
  busy,
  onConfirm,
  onClose,
}: {
  title: string;
  summary: string;
  label: string;
  confirm: string;
  error: CombinedError | undefined;
  busy: boolean;
  onConfirm(reason: string): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const heading = useId();
  const [reason, setReason] = useState('');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={heading} onCancel={onClose}>
      <form
        className="form stacked"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(reason);
        }}
      >
        <h3 id={heading}>{title}</h3>
        <p>{summary}</p>
        <Field label={label} error={problemAt(error, 'reason')}>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
        </Field>
        <ApiError error={error} shownFields={['reason']} />
        <div className="actions">
          <button type="submit" className="danger" disabled={busy}>
            {confirm}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
