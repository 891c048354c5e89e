/**
 * The privacy center's style sheets, served as files (its CSP allows no inline style). The base
 * sheet is the same for every organisation; the theme sets only the branded colours, which lint has
 * held to WCAG AA contrast (1.4.3) and which are checked again here before they are written.
 */
import type { CenterBranding } from './layout.js';

export const BASE_CSS = `
:root { color-scheme: light; --primary: #0b4fa8; --on-primary: #ffffff; --text: #1b1b1b; --muted: #4a4a4a; --error: #b00020; --line: #8a8a8a; }
* { box-sizing: border-box; }
body { font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); background: #fff; margin: 0; }
.wrap { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
.skip-link { position: absolute; left: -999rem; top: .5rem; background: #fff; color: var(--primary); padding: .5rem 1rem; z-index: 2; }
.skip-link:focus { left: .5rem; }
.top { border-top: .5rem solid var(--primary); border-bottom: 1px solid #d0d0d0; padding: .75rem 0; }
.top .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; justify-content: space-between; }
.brand { display: flex; align-items: center; gap: .75rem; color: var(--text); text-decoration: none; font-weight: 600; }
.brand img { max-height: 3rem; max-width: 10rem; }
a { color: var(--primary); text-underline-offset: .15em; }
a:focus, button:focus, input:focus, textarea:focus, summary:focus { outline: 3px solid var(--primary); outline-offset: 2px; }
main { padding: 1.5rem 0 2rem; }
main:focus { outline: none; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.rights { list-style: none; padding: 0; margin: 0; display: grid; gap: .75rem; }
.rights li { border: 1px solid var(--line); border-radius: .4rem; padding: .75rem 1rem; }
.rights a { font-weight: 600; font-size: 1.1rem; }
.rights p { margin: .25rem 0 0; }
.article { color: var(--muted); font-size: .95rem; }
.activity { border: 1px solid var(--line); border-radius: .4rem; margin: .5rem 0; padding: 0 1rem; }
.activity summary { cursor: pointer; font-weight: 600; padding: .6rem 0; color: var(--primary); }
.activity[open] summary { border-bottom: 1px solid #d0d0d0; margin-bottom: .5rem; }
dl { margin: .5rem 0; }
dt { font-weight: 600; margin-top: .6rem; }
dd { margin: .15rem 0 0; }
dd ul { margin: 0; padding-left: 1.2rem; }
form { margin: 1rem 0; }
fieldset { border: 1px solid var(--line); border-radius: .4rem; margin: 1.25rem 0; padding: .5rem 1rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.field { margin: 1rem 0; }
label { display: block; font-weight: 600; }
.choice label { display: inline; font-weight: normal; }
.choice { margin: .4rem 0; display: flex; gap: .5rem; align-items: flex-start; }
.choice input { margin-top: .35rem; width: 1.15rem; height: 1.15rem; flex: none; }
.hint { color: var(--muted); margin: .15rem 0 .35rem; font-size: .95rem; }
.req { font-weight: normal; color: var(--muted); }
input[type=text], input[type=email], input[type=url], input[type=tel], textarea { display: block; width: 100%; font: inherit; padding: .5rem .6rem; border: 2px solid #595959; border-radius: .25rem; background: #fff; color: var(--text); }
input.code { max-width: 10rem; font-size: 1.4rem; letter-spacing: .2em; font-variant-numeric: tabular-nums; }
textarea { min-height: 6rem; }
input[aria-invalid=true], textarea[aria-invalid=true] { border-color: var(--error); border-width: 3px; }
input[type=radio][aria-invalid=true], input[type=checkbox][aria-invalid=true] { outline: 2px solid var(--error); outline-offset: 1px; }
.error-message { color: var(--error); font-weight: 600; margin: .25rem 0; }
.error-summary { border: 3px solid var(--error); border-radius: .4rem; padding: .5rem 1rem 1rem; margin: 0 0 1.5rem; }
.error-summary h2 { margin-top: .5rem; font-size: 1.25rem; }
.error-summary a { color: var(--error); font-weight: 600; }
.notice-box { border-left: .4rem solid var(--primary); background: #f3f5f8; padding: .75rem 1rem; margin: 1rem 0; }
.key { font: 1.05rem/1.4 ui-monospace, Menlo, Consolas, monospace; word-break: break-all; background: #fff; border: 1px dashed var(--line); padding: .5rem; display: block; }
button { font: inherit; font-weight: 600; background: var(--primary); color: var(--on-primary); border: 2px solid var(--primary); border-radius: .3rem; padding: .6rem 1.2rem; cursor: pointer; }
button.secondary { background: #fff; color: var(--primary); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: 1.25rem; }
footer { border-top: 1px solid #d0d0d0; color: var(--muted); font-size: .95rem; padding: 1rem 0 2rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 30rem) { h1 { font-size: 1.5rem; } body { font-size: 1rem; } }
@media print { .top nav, .skip-link, form { display: none; } }
`.trim();

const HEX = /^#[0-9a-f]{6}$/i;

/** The organisation's colours, as custom properties; nothing is written that is not a colour. */
export function themeCss(branding: CenterBranding): string {
  const lines: string[] = [];
  if (branding.primary !== undefined && HEX.test(branding.primary)) lines.push(`--primary: ${branding.primary};`);
  if (branding.on_primary !== undefined && HEX.test(branding.on_primary)) lines.push(`--on-primary: ${branding.on_primary};`);
  return lines.length === 0 ? '/* no branding */\n' : `:root { ${lines.join(' ')} }\n`;
}
