import { useTranslation } from 'react-i18next';

// TODO(web): the allocation screen
export function AllocationPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.allocation')}</h1>;
}
