// One rent payment against a tenancy (a counter receipt, a bank transfer): once per reference, to the
// month named or else the oldest months owing. Used by the rent screen and the profile's rent panel.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { problemAt } from '../../client';
import { ApiError, Field, FormActions } from '../../components/ui';
import { formatMoney, formatMonth } from '../../format';

const RECORD = /* GraphQL */ `
  mutation RecordRentPayment($input: RecordRentPaymentInput!) {
    recordRentPayment(input: $input) {
      id
      amount
      allocation {
        month
        amount
      }
    }
  }
`;

export interface RecordedPayment {
  id: string;
  amount: number;
  allocation: { month: string; amount: number }[];
}

/** today in the browser's calendar, YYYY-MM-DD */
export function localToday(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

const FIELDS = ['amount', 'paidOn', 'reference', 'month', 'tenancyId'];

export function PaymentForm({
  tenancyId,
  suggestedAmount,
  onDone,
  onCancel,
}: {
  tenancyId: string;
  suggestedAmount?: number;
  onDone(payment: RecordedPayment): void;
  onCancel?(): void;
}) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState(suggestedAmount ? suggestedAmount.toFixed(2) : '');
  const [paidOn, setPaidOn] = useState(localToday());
  const [reference, setReference] = useState('');
  const [month, setMonth] = useState('');
  const [result, record] = useMutation<{ recordRentPayment: RecordedPayment }>(RECORD);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { tenancyId, amount: Number(amount), paidOn, reference, ...(month ? { month: `${month}-01` } : {}) };
    const answer = await record({ input });
    if (answer.data?.recordRentPayment) {
      setReference('');
      onDone(answer.data.recordRentPayment);
    }
  }

  return (
    <form className="form" aria-label={t('rent.recordPayment')} onSubmit={submit}>
      <Field label={t('rent.amount')} error={problemAt(result.error, 'amount')}>
        <input type="number" step="0.01" min="0" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
      </Field>
      <Field label={t('rent.paidOn')} error={problemAt(result.error, 'paidOn')}>
        <input type="date" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} required />
      </Field>
      <Field label={t('rent.reference')} error={problemAt(result.error, 'reference')} hint={t('rent.referenceHint')}>
        <input value={reference} onChange={(e) => setReference(e.target.value)} required maxLength={100} />
      </Field>
      <Field label={t('rent.forMonth')} error={problemAt(result.error, 'month')} hint={t('rent.forMonthHint')}>
        <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      </Field>
      <ApiError error={result.error} shownFields={FIELDS} />
      <FormActions submit={t('rent.record')} busy={result.fetching} onCancel={onCancel} />
    </form>
  );
}

/** "¥300.00 paid: 2026年4月 ¥300.00" */
export function PaymentRecorded({ payment }: { payment: RecordedPayment }) {
  const { t } = useTranslation();
  return (
    <p className="notice" role="status">
      {t('rent.recorded', {
        amount: formatMoney(payment.amount),
        months: payment.allocation.map((a) => `${formatMonth(a.month)} ${formatMoney(a.amount)}`).join('、'),
      })}
    </p>
  );
}
