import { useTranslation } from 'react-i18next';

// TODO(web): the alerts inbox
export function AlertsPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.alerts')}</h1>;
}
