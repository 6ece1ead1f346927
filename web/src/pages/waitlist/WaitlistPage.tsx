import { useTranslation } from 'react-i18next';

// TODO(web): the waitlist screen
export function WaitlistPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.waitlist')}</h1>;
}
