/**
 * The link that lets a person follow a request staff entered from their email or letter
 * (docs/privacy-center.md, "A request entered by staff"): the privacy center's page of the request
 * with its status key in the query. The privacy center moves the key into its HttpOnly cookie and
 * redirects to the same page without it (src/http/routes/privacy-center.ts), so the key stays out of
 * the address bar, the history, a Referer and the access log (which records the route, never the URL).
 *
 * Only for a request that came from the person's mailbox or letter box: the link goes back where the
 * request came from (Art. 12(6): the identity is still confirmed by the code sent there, or by staff).
 * A request made on the web form never has its key emailed at submission: the browser that made it
 * holds it. Only when the person lost it does staff send a new one (Desk.reissueStatusKey, Art. 12(2)),
 * and then only to a confirmed address (Art. 12(6)), or to staff for a postal answer.
 */

/** The page the link opens: the code page (an email to confirm) or the status page. */
export type FollowPage = 'code' | 'status';

export function followLink(publicUrl: string, organisationId: string, requestId: string, key: string, page: FollowPage): string {
  const base = `${publicUrl.replace(/\/+$/, '')}/privacy-center/${encodeURIComponent(organisationId)}/requests/${encodeURIComponent(requestId)}`;
  return `${page === 'code' ? `${base}/code` : base}?key=${encodeURIComponent(key)}`;
}

/**
 * The link of a completion letter (Art. 15(3)): the privacy center's download page, with the download
 * token. The page asks for the status key too (from the browser's cookie or typed), so the letter
 * alone opens nothing.
 */
export function downloadLink(publicUrl: string, organisationId: string, requestId: string, downloadToken: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/privacy-center/${encodeURIComponent(organisationId)}/requests/${encodeURIComponent(requestId)}/download?download=${downloadToken}`;
}
