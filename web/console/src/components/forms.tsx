/** Small pieces the console's forms share: a labelled field, reasons one per line, an action's outcome, a form that runs one action. */
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

/**
 * A form that runs one action: its fields in a fieldset named by the legend, the submit button
 * (held while the action works, or while the form is not `ready`), and the action's outcome. A form
 * that is not ready says why next to its button (`blocked`), so a disabled button is never mute.
 */
export function ActionForm(props: {
  legend: string;
  action: Action;
  run: () => Promise<void>;
  submit: string;
  ready?: boolean;
  blocked?: { id: string; text: string };
  submitClass?: string;
  describedBy?: string;
  children: ComponentChildren;
}) {
  const { legend, action, run, submit, ready = true, blocked, submitClass, describedBy, children } = props;
  const why = !ready && blocked ? blocked : undefined;
  return (
    <form
      class="stack"
      aria-describedby={describedBy}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void action.run(run);
      }}
    >
      <fieldset>
        <legend>{legend}</legend>
        {children}
        {why ? (
          <p class="hint" id={why.id}>
            {why.text}
          </p>
        ) : null}
        <button type="submit" class={submitClass} disabled={!ready || action.working} aria-describedby={why?.id}>
          {submit}
        </button>
        <Outcome action={action} />
      </fieldset>
    </form>
  );
}

/** One button that runs one action (a decision with nothing to fill in), and its outcome. */
export function ActionButton({ action, run, label, children }: { action: Action; run: () => Promise<void>; label: string; children?: ComponentChildren }) {
  return (
    <div class="decision">
      {children}
      <button type="button" disabled={action.working} onClick={() => void action.run(run)}>
        {label}
      </button>
      <Outcome action={action} />
    </div>
  );
}
