// A modal <dialog> (showModal: focus moves into it, Escape closes it) for a form or a confirmation,
// named by its heading; and the confirmation that asks why (removing a special difficulty, revoking
// an exception), the reason next to the API's complaint about it, open until the API accepts.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { problemAt } from '../client';
import { ApiError, Field, FormActions } from './ui';

export function Dialog({
  open = true,
  title,
  level = 2,
  onClose,
  children,
}: {
  /** shown while true (default: while mounted) */
  open?: boolean;
  title: string;
  /** the heading's level: 2 on a page, 3 inside a panel */
  level?: 2 | 3;
  onClose(): void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const heading = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <dialog ref={ref} aria-labelledby={heading} onClose={onClose} onCancel={onClose}>
      {open && (
        <>
          <Heading id={heading}>{title}</Heading>
          {children}
        </>
      )}
    </dialog>
  );
}

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
  const [reason, setReason] = useState('');
  return (
    <Dialog title={title} level={3} onClose={onClose}>
      <form
        className="form stacked"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(reason);
        }}
      >
        <p>{summary}</p>
        <Field label={label} error={problemAt(error, 'reason')}>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
        </Field>
        <ApiError error={error} shownFields={['reason']} />
        <FormActions submit={confirm} danger busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
