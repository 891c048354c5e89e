/** Small pieces the request page's forms share: a labelled field, reasons one per line, an action's outcome. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { Done, ErrorMessage } from './status.js';

export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

export interface Action {
  working: boolean;
  error: Error | undefined;
  done: boolean;
  run: (work: () => Promise<void>) => Promise<void>;
}

/** One action's state: working, its failure, or done. */
export function useAction(): Action {
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [done, setDone] = useState(false);
  return {
    working,
    error,
    done,
    async run(work) {
      setWorking(true);
      setError(undefined);
      setDone(false);
      try {
        await work();
        setDone(true);
      } catch (e) {
        setError(e instanceof Error ? e : new ApiFailure(0, String(e)));
      } finally {
        setWorking(false);
      }
    },
  };
}

export function Outcome({ action }: { action: Action }) {
  const { t } = useI18n();
  return (
    <div aria-live="polite">
      <ErrorMessage error={action.error} />
      {action.done ? <Done>{t.request.done}</Done> : null}
    </div>
  );
}

export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}
