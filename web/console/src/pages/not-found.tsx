import { useI18n } from '../i18n/index.js';
import { PageTitle } from '../components/page-title.js';

export function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t.app.notFound}</PageTitle>
      <p>{t.app.notFoundText}</p>
      <p>
        <a href="/console/">{t.app.backToToday}</a>
      </p>
    </>
  );
}
