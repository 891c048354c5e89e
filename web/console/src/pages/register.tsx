import { useI18n } from '../i18n/index.js';
import { PageTitle } from '../components/page-title.js';
export function RegisterPage() {
  const { t } = useI18n();
  return <PageTitle>{t.register.title}</PageTitle>;
}
