// The tenancy with its rent ledger: arrears at a glance and a chart of each month's due against paid.
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Badge, Section, TableHead } from '../../../components/ui';
import { formatDate, formatMoney, formatMonth } from '../../../format';
import { ledgerSeries, type Tenancy } from '../profile';

export function TenancySection({ tenancy }: { tenancy: Tenancy | null }) {
  const { t } = useTranslation();
  if (!tenancy)
    return (
      <Section title={t('household.tenancy')}>
        <p>{t('household.noTenancy')}</p>
      </Section>
    );
  const series = ledgerSeries(tenancy.rentLedger);
  const { arrears } = tenancy;
  return (
    <Section
      title={t('household.tenancy')}
      actions={
        arrears.monthsUnpaid > 0 ? (
          <Badge tone={arrears.monthsUnpaid >= 6 ? 'bad' : 'warn'}>
            {t('household.arrears', { months: arrears.monthsUnpaid, amount: formatMoney(arrears.amountOutstanding) })}
          </Badge>
        ) : (
          <Badge tone="ok">{t('household.noArrears')}</Badge>
        )
      }
    >
      <dl className="facts">
        <div>
          <dt>{t('household.unit')}</dt>
          <dd>{tenancy.unit.address}</dd>
        </div>
        <div>
          <dt>{t('household.rent')}</dt>
          <dd>
            {formatMoney(tenancy.monthlyRent)} · {t(`household.rentStandard.${tenancy.rentStandard}`)}
          </dd>
        </div>
        <div>
          <dt>{t('household.since')}</dt>
          <dd>
            {formatDate(tenancy.startDate)}
            {tenancy.endDate && ` · ${t('household.ended', { date: formatDate(tenancy.endDate), reason: tenancy.endReason ?? '—' })}`}
          </dd>
        </div>
        {arrears.oldestUnpaidMonth && (
          <div>
            <dt>{t('household.arrearsLabel')}</dt>
            <dd>{t('household.oldestUnpaid', { month: formatMonth(arrears.oldestUnpaidMonth) })}</dd>
          </div>
        )}
      </dl>
      {series.length > 0 && (
        <figure className="chart" aria-label={t('household.ledgerChart')}>
          <figcaption>{t('household.ledgerChart')}</figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="month" tickFormatter={formatMonth} fontSize={12} />
              <YAxis fontSize={12} width={56} />
              <Tooltip labelFormatter={(m) => formatMonth(String(m))} formatter={(v) => formatMoney(Number(v))} />
              <Legend />
              <Bar dataKey="due" name={t('household.due')} fill="#9bb3cf" isAnimationActive={false} />
              <Bar dataKey="paid" name={t('household.paid')} fill="#1f7a3a" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      )}
      <details>
        <summary>{t('household.ledger')}</summary>
        <div className="table-wrap">
          <table className="table">
            <TableHead
              columns={[
                t('household.month'),
                { label: t('household.due'), num: true },
                { label: t('household.paid'), num: true },
                t('household.paidOn'),
                t('household.outcome'),
              ]}
            />
            <tbody>
              {[...tenancy.rentLedger]
                .sort((a, b) => b.month.localeCompare(a.month))
                .map((e) => (
                  <tr key={e.month}>
                    <td>{formatMonth(e.month)}</td>
                    <td className="num">{formatMoney(e.amountDue)}</td>
                    <td className="num">{formatMoney(e.amountPaid)}</td>
                    <td>{formatDate(e.paidOn)}</td>
                    <td>{e.unpaid ? <Badge tone="bad">{t('household.unpaid')}</Badge> : <Badge tone="ok">{t('household.settled')}</Badge>}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </Section>
  );
}
