import { useI18n } from '../i18n/index.js';
export function NewRequestPage() {
  const { t } = useI18n();
  return <h1>{t.entry.title}</h1>;
}
