import { useTranslation } from 'react-i18next';

// TODO(web): the districts screen
export function DistrictsPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.districts')}</h1>;
}
