import { useTranslation } from 'react-i18next';

// TODO(web): the households screen
export function RegisterPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.households')}</h1>;
}
