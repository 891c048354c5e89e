/** Where the answer's package is: with the person, by the completion letter's link; staff have no route to it. */
import { useI18n } from '../../i18n/index.js';

export function PackagePanel() {
  const { t } = useI18n();
  return (
    <section class="panel" aria-labelledby="r-package">
      <h2 id="r-package">{t.request.package}</h2>
      <p>{t.request.packageNone}</p>
    </section>
  );
}
