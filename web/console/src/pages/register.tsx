import { useI18n } from '../i18n/index.js';
export function RegisterPage() {
  const { t } = useI18n();
  return <h1>{t.register.title}</h1>;
}
