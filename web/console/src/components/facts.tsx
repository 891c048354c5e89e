/**
 * Recorded facts as short pairs: what a transition or a request carried (reasons, months, a run's
 * counts), an audit entry's detail (ids and counts). Never the person's data unless shown on demand.
 */
export function Facts({ input }: { input: Record<string, unknown> }) {
  const pairs = Object.entries(input);
  if (pairs.length === 0) return null;
  return (
    <dl class="inline">
      {pairs.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(' · ') : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
