import { useTranslation } from 'react-i18next';

// TODO(web): the rent screen
export function RentPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.rent')}</h1>;
}
