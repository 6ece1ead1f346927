// Utility use per month: a month that looks vacant (every kind read and under its VACANCY.* limit,
// KC-19(1)) is shaded across the chart and listed, so a vacancy shows at a glance.
import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Badge, Section } from '../../../components/ui';
import { formatMonth, formatNumber } from '../../../format';
import { UTILITY_KINDS, type UseMonth } from '../profile';

const COLOURS = { WATER: '#0b5cad', ELECTRICITY: '#b76e00', GAS: '#6a3d9a' } as const;

export function UtilitiesSection({ months, address, units }: { months: UseMonth[]; address: string | null; units: Partial<Record<string, string>> }) {
  const { t } = useTranslation();
  const vacant = months.filter((m) => m.vacant);
  const data = months.map((m) => ({ ...m, vacantBand: m.vacant ? 1 : 0 }));
  return (
    <Section
      title={t('household.utilities')}
      actions={
        months.length > 0 &&
        (vacant.length ? <Badge tone="bad">{t('household.vacantCount', { count: vacant.length })}</Badge> : <Badge tone="ok">{t('household.noVacancy')}</Badge>)
      }
    >
      {address && <p className="field-hint">{address}</p>}
      {months.length === 0 ? (
        <p>{t('household.noReadings')}</p>
      ) : (
        <>
          <figure className="chart" aria-label={t('household.utilitiesChart')}>
            <figcaption>{t('household.utilitiesChart')}</figcaption>
            <div className="utility-charts">
              {UTILITY_KINDS.map((k) => (
                <div key={k} className="utility-chart">
                  <h3 className="small">
                    {t(`household.utilityKind.${k}`)} ({units[k] ?? ''})
                  </h3>
                  <ResponsiveContainer width="100%" height={150}>
                    <ComposedChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap={0}>
                      <CartesianGrid strokeDasharray="3 3" vertical={false} />
                      <XAxis dataKey="month" tickFormatter={formatMonth} fontSize={11} />
                      <YAxis fontSize={11} width={40} />
                      <YAxis yAxisId="band" hide domain={[0, 1]} />
                      <Tooltip
                        labelFormatter={(m) => formatMonth(String(m))}
                        formatter={(v, _name, item) => (item.dataKey === 'vacantBand' ? (v ? t('household.vacant') : '—') : formatNumber(Number(v), 1))}
                      />
                      <Bar yAxisId="band" dataKey="vacantBand" name={t('household.vacant')} fill="#b3261e" fillOpacity={0.2} isAnimationActive={false} />
                      <Line
                        dataKey={k}
                        name={t(`household.utilityKind.${k}`)}
                        stroke={COLOURS[k]}
                        strokeWidth={2}
                        dot={{ r: 3 }}
                        connectNulls={false}
                        isAnimationActive={false}
                      />
                    </ComposedChart>
                  </ResponsiveContainer>
                </div>
              ))}
            </div>
          </figure>
          <p className={vacant.length ? 'vacancy-line' : undefined} role="status">
            {vacant.length
              ? t('household.vacantMonths', { months: vacant.map((m) => formatMonth(m.month)).join(t('household.listSeparator')) })
              : t('household.noVacancy')}
          </p>
          <ul className="month-strip" aria-label={t('household.utilities')}>
            {months.map((m) => (
              <li key={m.month} className={m.vacant ? 'vacant' : undefined} title={m.vacant ? t('household.vacant') : undefined}>
                {formatMonth(m.month)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}
