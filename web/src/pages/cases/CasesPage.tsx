import { useTranslation } from 'react-i18next';

// TODO(web): the cases screen
export function CasesPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.cases')}</h1>;
}
