// Members as the API masks them; "reveal" asks for the purpose and releases one person's full
// identity through Person.identity(purpose), which the API records in the audit log.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, type CombinedError } from 'urql';
import { problemAt } from '../../../client';
import { Dialog } from '../../../components/Dialog';
import { ApiError, Badge, Field, FormActions, Section, TableHead } from '../../../components/ui';
import { formatDate } from '../../../format';
import { REVEAL, type Member } from '../profile';

interface Identity {
  residentId: string;
  name: string;
}

export function MembersSection({ householdId, members }: { householdId: string; members: Member[] }) {
  const { t } = useTranslation();
  const client = useClient();
  const [target, setTarget] = useState<Member | null>(null);
  const [purpose, setPurpose] = useState('');
  const [error, setError] = useState<CombinedError | undefined>();
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<Record<string, Identity>>({});

  const open = (m: Member) => {
    setTarget(m);
    setError(undefined);
    setPurpose('');
  };
  const submit = async () => {
    if (!target) return;
    setBusy(true);
    const res = await client
      .query<{
        household: { member: { id: string; identity: Identity } | null } | null;
      }>(REVEAL, { household: householdId, member: target.id, purpose }, { requestPolicy: 'network-only' })
      .toPromise();
    setBusy(false);
    const identity = res.data?.household?.member?.identity;
    if (res.error || !identity) {
      setError(res.error);
      return;
    }
    setRevealed((r) => ({ ...r, [target.id]: identity }));
    setTarget(null);
  };

  return (
    <Section title={t('household.members')}>
      <div className="table-wrap">
        <table className="table">
          <TableHead
            columns={[
              t('household.name'),
              t('household.residentId'),
              t('household.relation'),
              t('household.sex'),
              t('household.birthDate'),
              { label: t('household.reveal'), hidden: true },
            ]}
          />
          <tbody>
            {members.map((m) => {
              const whole = revealed[m.id];
              return (
                <tr key={m.id}>
                  <td>{whole ? whole.name : m.name}</td>
                  <td className="mono">{whole ? whole.residentId : m.residentId}</td>
                  <td>{t(`household.relationName.${m.relation}`)}</td>
                  <td>{t(`household.sexName.${m.sex}`)}</td>
                  <td>{formatDate(m.birthDate)}</td>
                  <td>
                    {whole ? (
                      <Badge tone="info">{t('household.revealed')}</Badge>
                    ) : (
                      <button type="button" className="secondary" onClick={() => open(m)} aria-label={t('household.revealOf', { name: m.name })}>
                        {t('household.reveal')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Dialog open={!!target} title={t('household.revealTitle')} onClose={() => setTarget(null)}>
        <form
          className="form stacked"
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <p>
            {target?.name} · <span className="mono">{target?.residentId}</span>
          </p>
          <p className="field-hint">{t('household.revealExplain')}</p>
          <Field label={t('household.purpose')} hint={t('household.purposeHint')} error={problemAt(error, 'purpose')}>
            <textarea value={purpose} onChange={(e) => setPurpose(e.target.value)} rows={2} required autoFocus />
          </Field>
          <ApiError error={error} shownFields={['purpose']} />
          <FormActions submit={t('household.revealSubmit')} busy={busy} onCancel={() => setTarget(null)} />
        </form>
      </Dialog>
    </Section>
  );
}
