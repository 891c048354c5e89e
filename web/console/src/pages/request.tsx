import { useI18n } from '../i18n/index.js';
export function RequestPage() {
  const { t } = useI18n();
  return <h1>{t.request.title('')}</h1>;
}
