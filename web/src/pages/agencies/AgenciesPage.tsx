import { useTranslation } from 'react-i18next';

// TODO(web): the agencies screen
export function AgenciesPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.agencies')}</h1>;
}
