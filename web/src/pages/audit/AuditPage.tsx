import { useTranslation } from 'react-i18next';

// TODO(web): the audit screen
export function AuditPage() {
  const { t } = useTranslation();
  return <h1>{t('common.nav.audit')}</h1>;
}
