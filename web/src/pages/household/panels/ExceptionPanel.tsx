// Qualification exceptions of a household: a criterion the policy allows to be waived, granted by a
// manager with a reason until a date, and revoked with a reason. Caseworkers see them; only managers
// and administrators are offered the actions (the API decides).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { problemAt } from '../../../client';
import { ApiError, Badge, Field, Loading, Section, TableHead } from '../../../components/ui';
import { formatDate, formatDateTime } from '../../../format';
import { useMay } from '../../../session';
import type { PanelProps } from './index';
import { ReasonDialog } from '../../../components/Dialog';
import { waivable, type PolicyParameters } from './waivable';

const EXCEPTIONS = /* GraphQL */ `
  query HouseholdExceptions($id: ID!) {
    household(id: $id) {
      id
      exceptions {
        id
        policyId
        criterion
        reason
        grantedBy
        grantedOn
        expiresOn
        revokedBy
        revokedAt
        revokeReason
        inForce
      }
    }
    policies {
      id
      name
      parameters {
        code
        value
      }
    }
  }
`;

const GRANT = /* GraphQL */ `
  mutation GrantQualificationException($input: GrantQualificationExceptionInput!) {
    grantQualificationException(input: $input) {
      id
      inForce
    }
  }
`;

const REVOKE = /* GraphQL */ `
  mutation RevokeQualificationException($input: RevokeQualificationExceptionInput!) {
    revokeQualificationException(input: $input) {
      id
      inForce
    }
  }
`;

interface QualificationException {
  id: string;
  policyId: string;
  criterion: string;
  reason: string;
  grantedBy: string;
  grantedOn: string;
  expiresOn: string;
  revokedBy: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
  inForce: boolean;
}

interface Data {
  household: { id: string; exceptions: QualificationException[] } | null;
  policies: PolicyParameters[];
}

export function ExceptionPanel({ householdId, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const mayGrant = useMay('ADMIN', 'MANAGER');
  const [result, refetch] = useQuery<Data>({ query: EXCEPTIONS, variables: { id: householdId } });
  const [granted, grant] = useMutation(GRANT);
  const [revoked, revoke] = useMutation(REVOKE);
  const [choice, setChoice] = useState('');
  const [reason, setReason] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [revoking, setRevoking] = useState<QualificationException | null>(null);
  const [notice, setNotice] = useState('');
  const changed = (message: string) => {
    setNotice(message);
    refetch({ requestPolicy: 'network-only' });
    onChanged();
  };
  const criterionLabel = (code: string) => t(`exception.criteria.${code}`, { defaultValue: code });
  const data = result.data;
  const h = data?.household;
  const options = data ? waivable(data.policies) : [];
  return (
    <Section title={t('exception.title')}>
      <ApiError error={result.error} />
      {result.fetching && !data && <Loading />}
      {h && (
        <>
          {h.exceptions.length === 0 ? (
            <p>{t('exception.none')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <TableHead
                  columns={[
                    t('exception.criterion'),
                    t('exception.policy'),
                    t('exception.reason'),
                    t('exception.granted'),
                    t('exception.expiresOn'),
                    t('exception.status'),
                    mayGrant && t('exception.actions'),
                  ]}
                />
                <tbody>
                  {h.exceptions.map((e) => (
                    <tr key={e.id}>
                      <td>{criterionLabel(e.criterion)}</td>
                      <td>{e.policyId}</td>
                      <td>{e.reason}</td>
                      <td>{t('exception.grantedLine', { who: e.grantedBy, date: formatDate(e.grantedOn) })}</td>
                      <td>{formatDate(e.expiresOn)}</td>
                      <td>
                        {e.inForce ? (
                          <Badge tone="ok">{t('exception.inForce')}</Badge>
                        ) : e.revokedAt ? (
                          <>
                            <Badge tone="muted">{t('exception.revoked')}</Badge>{' '}
                            <small>{t('exception.revokedLine', { who: e.revokedBy, at: formatDateTime(e.revokedAt), reason: e.revokeReason })}</small>
                          </>
                        ) : (
                          <Badge tone="muted">{t('exception.expired')}</Badge>
                        )}
                      </td>
                      {mayGrant && (
                        <td>
                          {e.inForce && (
                            <button
                              type="button"
                              className="secondary"
                              aria-label={t('exception.revokeOf', { criterion: criterionLabel(e.criterion) })}
                              onClick={() => setRevoking(e)}
                            >
                              {t('exception.revoke')}
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
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          {mayGrant &&
            (options.length === 0 ? (
              <p>{t('exception.noneAllowed')}</p>
            ) : (
              <>
                <form
                  className="form"
                  aria-label={t('exception.grantTitle')}
                  onSubmit={(e) => {
                    e.preventDefault();
                    setNotice('');
                    const [policyId, criterion] = choice.split('|');
                    void grant({ input: { householdId, policyId, criterion, reason, expiresOn } }).then((r) => {
                      if (r.error) return;
                      setChoice('');
                      setReason('');
                      setExpiresOn('');
                      changed(t('exception.grantedNotice'));
                    });
                  }}
                >
                  <Field label={t('exception.criterion')} error={problemAt(granted.error, 'criterion') ?? problemAt(granted.error, 'policyId')}>
                    <select required value={choice} onChange={(e) => setChoice(e.target.value)}>
                      <option value="">{t('exception.choose')}</option>
                      {options.map((o) => (
                        <option key={`${o.policyId}|${o.criterion}`} value={`${o.policyId}|${o.criterion}`}>
                          {o.policyId} · {criterionLabel(o.criterion)}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <Field label={t('exception.reason')} error={problemAt(granted.error, 'reason')}>
                    <input value={reason} onChange={(e) => setReason(e.target.value)} />
                  </Field>
                  <Field label={t('exception.expiresOn')} error={problemAt(granted.error, 'expiresOn')}>
                    <input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
                  </Field>
                  <button type="submit" disabled={granted.fetching}>
                    {t('exception.grant')}
                  </button>
                </form>
                <ApiError error={granted.error} shownFields={['criterion', 'policyId', 'reason', 'expiresOn']} />
              </>
            ))}
        </>
      )}
      {revoking && (
        <ReasonDialog
          title={t('exception.revokeTitle')}
          summary={t('exception.revokeOf', { criterion: criterionLabel(revoking.criterion) })}
          label={t('exception.revokeReason')}
          confirm={t('exception.confirmRevoke')}
          error={revoked.error}
          busy={revoked.fetching}
          onClose={() => setRevoking(null)}
          onConfirm={(why) =>
            void revoke({ input: { exceptionId: revoking.id, reason: why } }).then((r) => {
              if (r.error) return;
              setRevoking(null);
              changed(t('exception.revokedNotice'));
            })
          }
        />
      )}
    </Section>
  );
}
