import type { ComponentChildren } from 'preact';
import { ApiFailure } from '../api.js';
import { useI18n } from '../i18n/index.js';

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status">
      {t.app.loading}
    </p>
  );
}

export function ErrorMessage({ error }: { error: Error | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  const text = error instanceof ApiFailure ? t.app.error(error.message) : t.app.networkError;
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

export function Done({ children }: { children: ComponentChildren }) {
  return (
    <p class="done" role="status">
      {children}
    </p>
  );
}

/** What a page shows while loading, when it failed, or its content once loaded. */
export function Show<T>({ loaded, children }: { loaded: { data: T | undefined; error: Error | undefined }; children: (data: T) => ComponentChildren }) {
  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (loaded.data === undefined) return <Loading />;
  return <>{children(loaded.data)}</>;
}
