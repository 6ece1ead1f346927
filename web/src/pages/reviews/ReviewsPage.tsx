import { useTranslation } from 'react-i18next';

// TODO(web): the reviews screen
export function ReviewsPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.reviews')}</h1>;
}
