// The household's rent on its profile: what the tenancy charges now, the ledger's totals and arrears,
// the payments recorded, a payment form, and KC-17 reductions and waivers (decided and revoked by a
// MANAGER or ADMIN). The ledger's chart is the profile's own (not repeated here).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { problemAt } from '../../../client';
import { ApiError, Badge, Field, FormActions, Loading, Section, TableHead } from '../../../components/ui';
import { formatDate, formatDateTime, formatMoney, formatMonth } from '../../../format';
import { useMay } from '../../../session';
import { Dialog } from '../../../components/Dialog';
import { PaymentForm, PaymentRecorded, type RecordedPayment } from '../../rent/PaymentForm';
import type { PanelProps } from './index';

const RENT = /* GraphQL */ `
  query HouseholdRent($id: ID!) {
    household(id: $id) {
      id
      tenancies {
        id
        startDate
        endDate
        endReason
        rentStandard
        monthlyRent
        currentRent
        unit {
          id
          address
        }
        rentLedger {
          month
          amountDue
          amountPaid
          unpaid
        }
        arrears {
          monthsUnpaid
          amountOutstanding
          oldestUnpaidMonth
        }
        payments {
          id
          amount
          paidOn
          reference
          imported
          recordedBy
          allocation {
            month
            amount
          }
        }
        adjustments {
          id
          kind
          ground
          monthlyRent
          effectiveFrom
          effectiveTo
          evidence
          reason
          decidedBy
          decidedAt
          revoked
          revokedBy
          revokeReason
        }
      }
    }
  }
`;

interface Adjustment {
  id: string;
  kind: 'REDUCTION' | 'WAIVER';
  ground: string;
  monthlyRent: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  evidence: string;
  reason: string;
  decidedBy: string;
  decidedAt: string;
  revoked: boolean;
  revokedBy: string | null;
  revokeReason: string | null;
}

interface Tenancy {
  id: string;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
  rentStandard: string;
  monthlyRent: number;
  currentRent: number;
  unit: { id: string; address: string };
  rentLedger: { month: string; amountDue: number; amountPaid: number; unpaid: boolean }[];
  arrears: { monthsUnpaid: number; amountOutstanding: number; oldestUnpaidMonth: string | null };
  payments: {
    id: string;
    amount: number;
    paidOn: string;
    reference: string;
    imported: boolean;
    recordedBy: string;
    allocation: { month: string; amount: number }[];
  }[];
  adjustments: Adjustment[];
}

const DECIDE = /* GraphQL */ `
  mutation DecideRentAdjustment($input: DecideRentAdjustmentInput!) {
    decideRentAdjustment(input: $input) {
      id
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation RevokeRentAdjustment($input: RevokeRentAdjustmentInput!) {
    revokeRentAdjustment(input: $input) {
      id
      revoked
    }
  }
`;

// work done in other panels (an offer accepted, an exit completed) changes the tenancy: asked again then
const REFETCH_ON = { additionalTypenames: ['Offer', 'Tenancy', 'ExitCase', 'RentChargeRun', 'RentPayment', 'ImportResult'] };

const GROUNDS = ['SEVERE_DISABILITY', 'MAJOR_ILLNESS', 'EXTREME_HARDSHIP', 'OTHER'] as const;

export function RentPanel({ householdId, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const mayDecide = useMay('ADMIN', 'MANAGER');
  const [result, reload] = useQuery<{ household: { id: string; tenancies: Tenancy[] } | null }>({
    query: RENT,
    variables: { id: householdId },
    context: REFETCH_ON,
  });
  const [recorded, setRecorded] = useState<RecordedPayment | null>(null);
  const [deciding, setDeciding] = useState(false);
  const [revoking, setRevoking] = useState<Adjustment | null>(null);
  const changed = () => {
    reload({ requestPolicy: 'network-only' });
    onChanged();
  };
  if (result.fetching && !result.data) return <Loading />;
  // the running tenancy, else the newest ended one that still owes rent (owed at exit stays owed, KC-36)
  const tenancies = result.data?.household?.tenancies ?? [];
  const tenancy = tenancies.find((x) => !x.endDate) ?? tenancies.find((x) => x.arrears.monthsUnpaid > 0);
  if (!tenancy) return result.error ? <ApiError error={result.error} /> : null;
  const due = tenancy.rentLedger.reduce((s, l) => s + l.amountDue, 0);
  const paid = tenancy.rentLedger.reduce((s, l) => s + l.amountPaid, 0);

  return (
    <Section title={t('rentpanel.title')}>
      {tenancy.endDate && (
        <p className="notice" role="note">
          {t('rentpanel.ended', { date: formatDate(tenancy.endDate), address: tenancy.unit.address, reason: tenancy.endReason ?? '—' })}
        </p>
      )}
      <dl className="facts-grid">
        <div>
          <dt>{t('rentpanel.currentRent')}</dt>
          <dd>
            {formatMoney(tenancy.currentRent)}
            {tenancy.currentRent !== tenancy.monthlyRent && (
              <span className="field-hint"> {t('rent.adjustedFrom', { rent: formatMoney(tenancy.monthlyRent) })}</span>
            )}
            <span className="field-hint"> {t(`rentpanel.standard.${tenancy.rentStandard}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('rentpanel.charged')}</dt>
          <dd>{t('rentpanel.chargedLine', { months: tenancy.rentLedger.length, due: formatMoney(due), paid: formatMoney(paid) })}</dd>
        </div>
        <div>
          <dt>{t('rentpanel.arrears')}</dt>
          <dd>
            {tenancy.arrears.monthsUnpaid === 0 ? (
              <Badge tone="ok">{t('rent.paidUp')}</Badge>
            ) : (
              <Badge tone={tenancy.arrears.monthsUnpaid >= 3 ? 'bad' : 'warn'}>
                {t('rent.owing', {
                  count: tenancy.arrears.monthsUnpaid,
                  amount: formatMoney(tenancy.arrears.amountOutstanding),
                  since: formatMonth(tenancy.arrears.oldestUnpaidMonth ?? tenancy.startDate),
                })}
              </Badge>
            )}
          </dd>
        </div>
      </dl>

      <h3>{t('rent.recordPayment')}</h3>
      {recorded && <PaymentRecorded payment={recorded} />}
      <PaymentForm
        tenancyId={tenancy.id}
        suggestedAmount={tenancy.currentRent}
        onDone={(payment) => {
          setRecorded(payment);
          changed();
        }}
      />

      <h3>{t('rentpanel.payments')}</h3>
      {tenancy.payments.length === 0 ? (
        <p>{t('rentpanel.noPayments')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={t('rentpanel.payments')}>
            <TableHead
              columns={[t('rent.paidOn'), { label: t('rentpanel.amount'), num: true }, t('rentpanel.months'), t('rent.reference'), t('rentpanel.recordedBy')]}
            />
            <tbody>
              {[...tenancy.payments].reverse().map((p) => (
                <tr key={p.id}>
                  <td>{formatDate(p.paidOn)}</td>
                  <td className="num">{formatMoney(p.amount)}</td>
                  <td>{p.allocation.map((a) => formatMonth(a.month)).join('、')}</td>
                  <td className="mono">{p.reference}</td>
                  <td>{p.imported ? t('rentpanel.imported') : p.recordedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="card-header">
        <h3>{t('rentpanel.adjustments')}</h3>
        {mayDecide && !tenancy.endDate && (
          <button type="button" className="secondary" onClick={() => setDeciding(true)}>
            {t('rentpanel.decide')}
          </button>
        )}
      </div>
      {tenancy.adjustments.length === 0 ? (
        <p>{t('rentpanel.noAdjustments')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={t('rentpanel.adjustments')}>
            <TableHead
              columns={[
                t('rentpanel.kind'),
                t('rentpanel.ground'),
                { label: t('rentpanel.reducedRent'), num: true },
                t('rentpanel.period'),
                t('rentpanel.decision'),
                mayDecide && t('rent.actions'),
              ]}
            />
            <tbody>
              {tenancy.adjustments.map((a) => (
                <tr key={a.id}>
                  <td>
                    {t(`rentpanel.adjustmentKind.${a.kind}`)} {a.revoked && <Badge tone="muted">{t('rentpanel.revoked')}</Badge>}
                  </td>
                  <td>{t(`rentpanel.groundOf.${a.ground}`)}</td>
                  <td className="num">{formatMoney(a.monthlyRent)}</td>
                  <td>
                    {formatMonth(a.effectiveFrom)} – {a.effectiveTo ? formatMonth(a.effectiveTo) : t('rentpanel.openEnded')}
                  </td>
                  <td>
                    {a.reason} <span className="field-hint">({a.evidence})</span>
                    <br />
                    <span className="field-hint">
                      {t('rentpanel.decidedBy', { who: a.decidedBy, when: formatDateTime(a.decidedAt) })}
                      {a.revoked && ` · ${t('rentpanel.revokedBy', { who: a.revokedBy ?? '', reason: a.revokeReason ?? '' })}`}
                    </span>
                  </td>
                  {mayDecide && (
                    <td>
                      {!a.revoked && (
                        <button type="button" className="secondary" onClick={() => setRevoking(a)}>
                          {t('rentpanel.revoke')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={deciding} title={t('rentpanel.decide')} onClose={() => setDeciding(false)}>
        {deciding && (
          <DecideForm
            tenancyId={tenancy.id}
            onDone={() => {
              setDeciding(false);
              changed();
            }}
            onCancel={() => setDeciding(false)}
          />
        )}
      </Dialog>
      <Dialog open={!!revoking} title={t('rentpanel.revoke')} onClose={() => setRevoking(null)}>
        {revoking && (
          <RevokeForm
            adjustment={revoking}
            onDone={() => {
              setRevoking(null);
              changed();
            }}
            onCancel={() => setRevoking(null)}
          />
        )}
      </Dialog>
    </Section>
  );
}

const DECIDE_FIELDS = ['kind', 'ground', 'monthlyRent', 'effectiveFrom', 'effectiveTo', 'evidence', 'reason'];

function DecideForm({ tenancyId, onDone, onCancel }: { tenancyId: string; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'REDUCTION' | 'WAIVER'>('REDUCTION');
  const [ground, setGround] = useState<string>('SEVERE_DISABILITY');
  const [monthlyRent, setMonthlyRent] = useState('');
  const [effectiveFrom, setFrom] = useState('');
  const [effectiveTo, setTo] = useState('');
  const [evidence, setEvidence] = useState('');
  const [reason, setReason] = useState('');
  const [result, decide] = useMutation(DECIDE);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = await decide({
      input: {
        tenancyId,
        kind,
        ground,
        ...(kind === 'REDUCTION' ? { monthlyRent: Number(monthlyRent) } : {}),
        effectiveFrom: `${effectiveFrom}-01`,
        ...(effectiveTo ? { effectiveTo: `${effectiveTo}-01` } : {}),
        evidence,
        reason,
      },
    });
    if (!answer.error) onDone();
  }
  return (
    <form className="form stacked" onSubmit={submit}>
      <Field label={t('rentpanel.kind')} error={problemAt(result.error, 'kind')}>
        <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="REDUCTION">{t('rentpanel.adjustmentKind.REDUCTION')}</option>
          <option value="WAIVER">{t('rentpanel.adjustmentKind.WAIVER')}</option>
        </select>
      </Field>
      <Field label={t('rentpanel.ground')} error={problemAt(result.error, 'ground')}>
        <select value={ground} onChange={(e) => setGround(e.target.value)}>
          {GROUNDS.map((g) => (
            <option key={g} value={g}>
              {t(`rentpanel.groundOf.${g}`)}
            </option>
          ))}
        </select>
      </Field>
      {kind === 'REDUCTION' && (
        <Field label={t('rentpanel.reducedRent')} error={problemAt(result.error, 'monthlyRent')}>
          <input type="number" step="0.01" min="0" value={monthlyRent} onChange={(e) => setMonthlyRent(e.target.value)} required />
        </Field>
      )}
      <Field label={t('rentpanel.from')} error={problemAt(result.error, 'effectiveFrom')}>
        <input type="month" value={effectiveFrom} onChange={(e) => setFrom(e.target.value)} required />
      </Field>
      <Field label={t('rentpanel.to')} error={problemAt(result.error, 'effectiveTo')} hint={t('rentpanel.toHint')}>
        <input type="month" value={effectiveTo} onChange={(e) => setTo(e.target.value)} />
      </Field>
      <Field label={t('rentpanel.evidence')} error={problemAt(result.error, 'evidence')} hint={t('rentpanel.evidenceHint')}>
        <input value={evidence} onChange={(e) => setEvidence(e.target.value)} required />
      </Field>
      <Field label={t('rentpanel.reason')} error={problemAt(result.error, 'reason')}>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required />
      </Field>
      <ApiError error={result.error} shownFields={DECIDE_FIELDS} />
      <FormActions submit={t('rentpanel.decideSubmit')} busy={result.fetching} onCancel={onCancel} />
    </form>
  );
}

function RevokeForm({ adjustment, onDone, onCancel }: { adjustment: Adjustment; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [result, revoke] = useMutation(REVOKE);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = await revoke({ input: { adjustmentId: adjustment.id, reason } });
    if (!answer.error) onDone();
  }
  return (
    <form className="form stacked" onSubmit={submit}>
      <p>{t('rentpanel.revokeWhat', { kind: t(`rentpanel.adjustmentKind.${adjustment.kind}`), from: formatMonth(adjustment.effectiveFrom) })}</p>
      <Field label={t('rentpanel.revokeReason')} error={problemAt(result.error, 'reason')}>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required />
      </Field>
      <ApiError error={result.error} shownFields={['reason']} />
      <FormActions submit={t('rentpanel.revoke')} danger busy={result.fetching} onCancel={onCancel} />
    </form>
  );
}
