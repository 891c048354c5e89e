import { useI18n } from '../i18n/index.js';

export function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t.app.notFound}</h1>
      <p>{t.app.notFoundText}</p>
      <p>
        <a href="/console/">{t.app.backToToday}</a>
      </p>
    </>
  );
}
