// Rent (KC-15..17): the months' charges (ADMIN, MANAGER), payments one by one (caseworker too) or as
// the bank's file, and every running tenancy of the caller's districts with what it owes.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useCursorPages } from '../../components/paging';
import { ApiError, Badge, DistrictOptions, Field, Loading, Pager, Section, TableHead, Working } from '../../components/ui';
import { formatMoney, formatMonth } from '../../format';
import { useMay } from '../../session';
import { Dialog } from '../../components/Dialog';
import { FileImport } from '../../components/FileImport';
import { PaymentForm, PaymentRecorded, type RecordedPayment } from './PaymentForm';

const TENANCIES = /* GraphQL */ `
  query RentTenancies($filter: HouseholdFilter, $after: String) {
    districts {
      id
      name
    }
    households(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        district {
          id
          name
        }
        head {
          id
          name
        }
        tenancy {
          id
          startDate
          monthlyRent
          currentRent
          unit {
            id
            address
          }
          arrears {
            monthsUnpaid
            amountOutstanding
            oldestUnpaidMonth
          }
        }
      }
    }
  }
`;

interface TenancyRow {
  id: string;
  district: { id: string; name: string };
  head: { id: string; name: string } | null;
  tenancy: {
    id: string;
    startDate: string;
    monthlyRent: number;
    currentRent: number;
    unit: { id: string; address: string };
    arrears: { monthsUnpaid: number; amountOutstanding: number; oldestUnpaidMonth: string | null };
  } | null;
}

const CHARGE = /* GraphQL */ `
  mutation ChargeRent {
    chargeRent {
      created
      tenancies
      throughMonth
    }
  }
`;

export function RentPage() {
  const { t } = useTranslation();
  const mayManage = useMay('ADMIN', 'MANAGER');
  // a caseworker filters among its own districts (the API answers no other)
  const pages = useCursorPages();
  const [districtId, setDistrictId] = useState('');
  const [result, reload] = useQuery<{
    districts: { id: string; name: string }[];
    households: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: TenancyRow[] };
  }>({ query: TENANCIES, variables: { filter: { status: 'HOUSED', ...(districtId ? { districtId } : {}) }, after: pages.after } });
  const refetch = () => reload({ requestPolicy: 'network-only' });
  const [charged, charge] = useMutation<{ chargeRent: { created: number; tenancies: number; throughMonth: string } }>(CHARGE);
  const [paying, setPaying] = useState<TenancyRow | null>(null);
  const [recorded, setRecorded] = useState<RecordedPayment | null>(null);
  const data = result.data;

  return (
    <>
      <header className="page-header">
        <h1>{t('rent.title')}</h1>
      </header>
      {mayManage && (
        <div className="grid-2">
          <Section title={t('rent.charges')}>
            <p className="field-hint">{t('rent.chargesHint')}</p>
            <button
              type="button"
              disabled={charged.fetching}
              onClick={async () => {
                const answer = await charge({});
                if (!answer.error) refetch();
              }}
            >
              {t('rent.chargeNow')}
            </button>
            {charged.fetching && <Working label={t('rent.charging')} />}
            <ApiError error={charged.error} />
            {charged.data && !charged.fetching && (
              <p className="notice" role="status">
                {t('rent.charged', {
                  count: charged.data.chargeRent.created,
                  tenancies: charged.data.chargeRent.tenancies,
                  month: formatMonth(charged.data.chargeRent.throughMonth),
                })}
              </p>
            )}
          </Section>
          <Section title={t('rent.importTitle')}>
            <FileImport kind="rent-payments" title={t('rent.importTitle')} columns="tenancyId,amount,paidOn,reference,month" onImported={refetch} />
          </Section>
        </div>
      )}
      <Section title={t('rent.tenancies')}>
        <form className="filters" role="search" aria-label={t('rent.filters')} onSubmit={(e) => e.preventDefault()}>
          <Field label={t('rent.district')}>
            <select
              value={districtId}
              onChange={(e) => {
                setDistrictId(e.target.value);
                pages.reset();
              }}
            >
              <DistrictOptions districts={data?.districts} />
            </select>
          </Field>
        </form>
        {recorded && <PaymentRecorded payment={recorded} />}
        <ApiError error={result.error} />
        {result.fetching && !data && <Loading />}
        {data && (
          <>
            <div className="table-wrap">
              <table className="table" aria-label={t('rent.tenancies')}>
                <TableHead
                  columns={[
                    t('rent.tenancy'),
                    t('rent.household'),
                    t('rent.unit'),
                    { label: t('rent.monthlyRent'), num: true },
                    t('rent.arrears'),
                    t('rent.actions'),
                  ]}
                />
                <tbody>
                  {data.households.nodes.map(
                    (h) =>
                      h.tenancy && (
                        <tr key={h.id}>
                          <td className="mono">#{h.tenancy.id}</td>
                          <td>
                            <Link to={`/households/${h.id}`}>{h.head?.name ?? `#${h.id}`}</Link>
                            <span className="field-hint"> {h.district.name}</span>
                          </td>
                          <td className="address">{h.tenancy.unit.address}</td>
                          <td className="num">
                            {formatMoney(h.tenancy.currentRent)}
                            {h.tenancy.currentRent !== h.tenancy.monthlyRent && (
                              <span className="field-hint"> {t('rent.adjustedFrom', { rent: formatMoney(h.tenancy.monthlyRent) })}</span>
                            )}
                          </td>
                          <td>
                            {h.tenancy.arrears.monthsUnpaid === 0 ? (
                              <Badge tone="ok">{t('rent.paidUp')}</Badge>
                            ) : (
                              <span className={`owing owing-${h.tenancy.arrears.monthsUnpaid >= 3 ? 'bad' : 'warn'}`}>
                                {t('rent.owing', {
                                  count: h.tenancy.arrears.monthsUnpaid,
                                  amount: formatMoney(h.tenancy.arrears.amountOutstanding),
                                  since: formatMonth(h.tenancy.arrears.oldestUnpaidMonth ?? h.tenancy.startDate),
                                })}
                              </span>
                            )}
                          </td>
                          <td>
                            <button
                              type="button"
                              className="secondary"
                              onClick={() => {
                                setRecorded(null);
                                setPaying(h);
                              }}
                              aria-label={t('rent.recordPaymentFor', { address: h.tenancy.unit.address })}
                            >
                              {t('rent.recordPayment')}
                            </button>
                          </td>
                        </tr>
                      ),
                  )}
                </tbody>
              </table>
            </div>
            {data.households.nodes.length === 0 && <p>{t('rent.noTenancies')}</p>}
            <Pager
              totalCount={data.households.totalCount}
              page={pages.page}
              hasNextPage={data.households.pageInfo.hasNextPage}
              onNext={() => pages.next(data.households.pageInfo.endCursor)}
              onFirst={pages.reset}
            />
          </>
        )}
      </Section>
      <Dialog open={!!paying} title={t('rent.recordPaymentFor', { address: paying?.tenancy?.unit.address ?? '' })} onClose={() => setPaying(null)}>
        {paying?.tenancy && (
          <PaymentForm
            tenancyId={paying.tenancy.id}
            suggestedAmount={paying.tenancy.currentRent}
            onDone={(payment) => {
              setPaying(null);
              setRecorded(payment);
              refetch();
            }}
            onCancel={() => setPaying(null)}
          />
        )}
      </Dialog>
    </>
  );
}
