// KC-26 rent subsidy on the profile: start one for a waitlisted household (at the policy's standard;
// another amount is a manager's decision), end the running one with a reason, and the periods before.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { problemAt } from '../../../client';
import { ApiError, Badge, Field, FormActions, Loading, Section, TableHead } from '../../../components/ui';
import { formatDate, formatMoney, formatNumber } from '../../../format';
import { useMay } from '../../../session';
import { localToday } from '../../rent/PaymentForm';
import type { PanelProps } from './index';

const SUBSIDY = /* GraphQL */ `
  query HouseholdSubsidy($id: ID!) {
    household(id: $id) {
      id
      status
      size
      district {
        id
        policy {
          id
          parameters {
            code
            value
          }
        }
      }
      subsidies {
        id
        startDate
        endDate
        monthlyAmount
        running
        years
        endReason
        startedBy
        endedBy
      }
    }
  }
`;

interface Subsidy {
  id: string;
  startDate: string;
  endDate: string | null;
  monthlyAmount: number;
  running: boolean;
  years: number;
  endReason: string | null;
  startedBy: string;
  endedBy: string | null;
}

// work done in other panels (an application approved, an offer accepted) changes what this panel offers
const REFETCH_ON = { additionalTypenames: ['Application', 'Offer', 'Tenancy'] };

const START = /* GraphQL */ `
  mutation StartSubsidy($input: StartSubsidyInput!) {
    startSubsidy(input: $input) {
      id
    }
  }
`;
const END = /* GraphQL */ `
  mutation EndSubsidy($input: EndSubsidyInput!) {
    endSubsidy(input: $input) {
      id
    }
  }
`;

export function SubsidyPanel({ householdId, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const [result, reload] = useQuery<{
    household: {
      id: string;
      status: string;
      size: number;
      district: { id: string; policy: { id: string; parameters: { code: string; value: number }[] } };
      subsidies: Subsidy[];
    } | null;
  }>({
    query: SUBSIDY,
    variables: { id: householdId },
    context: REFETCH_ON,
  });
  const changed = () => {
    reload({ requestPolicy: 'network-only' });
    onChanged();
  };
  if (result.fetching && !result.data) return <Loading />;
  const h = result.data?.household;
  if (!h) return result.error ? <ApiError error={result.error} /> : null;
  const running = h.subsidies.find((s) => s.running);
  const past = h.subsidies.filter((s) => !s.running);
  // only a waitlisted household can start one; a panel with nothing to show or do stays away
  if (!running && h.status !== 'WAITLISTED' && past.length === 0) return null;

  return (
    <Section title={t('subsidypanel.title')}>
      {running ? (
        <>
          <dl className="facts-grid">
            <div>
              <dt>{t('subsidypanel.state')}</dt>
              <dd>
                <Badge tone="info">{t('subsidypanel.running')}</Badge>
              </dd>
            </div>
            <div>
              <dt>{t('subsidypanel.since')}</dt>
              <dd>{formatDate(running.startDate)}</dd>
            </div>
            <div>
              <dt>{t('subsidypanel.monthly')}</dt>
              <dd>{formatMoney(running.monthlyAmount)}</dd>
            </div>
            <div>
              <dt>{t('subsidypanel.years')}</dt>
              <dd>{t('subsidypanel.yearsValue', { years: formatNumber(running.years, 2) })}</dd>
            </div>
          </dl>
          <EndForm householdId={h.id} onDone={changed} />
        </>
      ) : h.status === 'WAITLISTED' ? (
        <>
          <p>{t('subsidypanel.none')}</p>
          <StartForm
            householdId={h.id}
            members={h.size}
            perCapita={h.district.policy.parameters.find((p) => p.code === 'SUBSIDY.PER_CAPITA_MONTHLY')?.value}
            onDone={changed}
          />
        </>
      ) : (
        <p>{t('subsidypanel.none')}</p>
      )}
      {past.length > 0 && (
        <>
          <h3>{t('subsidypanel.history')}</h3>
          <div className="table-wrap">
            <table className="table" aria-label={t('subsidypanel.history')}>
              <TableHead
                columns={[
                  t('subsidypanel.period'),
                  { label: t('subsidypanel.monthly'), num: true },
                  { label: t('subsidypanel.years'), num: true },
                  t('subsidypanel.endReason'),
                ]}
              />
              <tbody>
                {past.map((s) => (
                  <tr key={s.id}>
                    <td>
                      {formatDate(s.startDate)} – {formatDate(s.endDate)}
                    </td>
                    <td className="num">{formatMoney(s.monthlyAmount)}</td>
                    <td className="num">{formatNumber(s.years, 2)}</td>
                    <td>
                      {s.endReason}
                      {s.endedBy && <span className="field-hint"> ({s.endedBy})</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}

function StartForm({
  householdId,
  members,
  perCapita,
  onDone,
}: {
  householdId: string;
  members: number;
  /** SUBSIDY.PER_CAPITA_MONTHLY of the district's policy today */
  perCapita: number | undefined;
  onDone(): void;
}) {
  const { t } = useTranslation();
  // another amount than the standard is a manager's decision (the API refuses it from a caseworker)
  const mayChooseAmount = useMay('ADMIN', 'MANAGER');
  const [startDate, setStartDate] = useState(localToday());
  const [amount, setAmount] = useState('');
  const [result, start] = useMutation(START);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = await start({ input: { householdId, startDate, ...(amount ? { monthlyAmount: Number(amount) } : {}) } });
    if (!answer.error) onDone();
  }
  return (
    <form className="form" aria-label={t('subsidypanel.start')} onSubmit={submit}>
      {perCapita !== undefined && (
        <p className="form-note">
          {t('subsidypanel.standard', {
            amount: formatMoney(Math.round(perCapita * members * 100) / 100),
            perCapita: formatMoney(perCapita),
            count: members,
          })}
        </p>
      )}
      <Field label={t('subsidypanel.startDate')} error={problemAt(result.error, 'startDate')}>
        <input type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} required />
      </Field>
      {mayChooseAmount && (
        <Field label={t('subsidypanel.amount')} error={problemAt(result.error, 'monthlyAmount')} hint={t('subsidypanel.amountHint')}>
          <input type="number" step="0.01" min="0" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </Field>
      )}
      <ApiError error={result.error} shownFields={['startDate', 'monthlyAmount']} />
      <FormActions submit={t('subsidypanel.start')} busy={result.fetching} />
    </form>
  );
}

function EndForm({ householdId, onDone }: { householdId: string; onDone(): void }) {
  const { t } = useTranslation();
  const [endDate, setEndDate] = useState(localToday());
  const [reason, setReason] = useState('');
  const [result, end] = useMutation(END);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = await end({ input: { householdId, endDate, reason } });
    if (!answer.error) {
      setReason('');
      onDone();
    }
  }
  return (
    <form className="form" aria-label={t('subsidypanel.end')} onSubmit={submit}>
      <Field label={t('subsidypanel.endDate')} error={problemAt(result.error, 'endDate')} hint={t('subsidypanel.endDateHint')}>
        <input type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} required />
      </Field>
      <Field label={t('subsidypanel.reason')} error={problemAt(result.error, 'reason')}>
        <input value={reason} onChange={(e) => setReason(e.target.value)} required />
      </Field>
      <ApiError error={result.error} shownFields={['endDate', 'reason']} />
      <FormActions submit={t('subsidypanel.end')} danger busy={result.fetching} />
    </form>
  );
}
