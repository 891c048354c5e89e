/**
 * An unexpected error as the log may carry it: its kind, its code and where it was thrown, never its
 * message. A message may quote what it failed on: a database's duplicate-key error names the row's
 * values, a client's error may repeat the request it sent with its headers (a person's status key).
 * Logs carry ids and counts only (Art. 5(1)(f), 32); the correlation id leads to the request.
 */
export function loggableError(err: unknown): { type: string; code?: string; frames: string[] } {
  if (!(err instanceof Error)) return { type: typeof err, frames: [] };
  const code = (err as { code?: unknown }).code;
  // The stack's first line is the message; the frames after it are file:line of our code and the libraries'.
  const frames = (err.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, 12);
  return { type: err.name, ...(typeof code === 'string' ? { code } : {}), frames };
}
