/**
 * The privacy center's branding must not make it harder to use (Art. 12(1): information in an
 * easily accessible form): colours people cannot read are refused before they are published.
 */
import { AA_TEXT_CONTRAST, contrastRatio } from '../../colour-contrast.js';
import type { Rule } from '../rule.js';

export const brandingContrast: Rule = {
  id: 'branding/contrast',
  severity: 'error',
  article: 'Art. 12(1)',
  title: 'The privacy center\'s colours are too faint to read',
  help: 'The privacy center shows links in the primary colour on white, and button text in on_primary on the primary colour: each must reach a contrast of 4.5:1 (WCAG 2.1 AA, 1.4.3). Choose a darker primary colour, or another on_primary.',
  check(ctx, report) {
    const colours = ctx.register.organisation.branding?.colours;
    if (!ctx.organisationKnown || !colours) return;
    const onWhite = contrastRatio(colours.primary, '#ffffff');
    if (onWhite < AA_TEXT_CONTRAST) {
      report(ctx.loaded.at.organisation('branding', 'colours', 'primary'), `the primary colour ${colours.primary} on white has a contrast of ${onWhite.toFixed(2)}:1, under 4.5:1: links in it are hard to read`);
    }
    const on = colours.on_primary ?? '#ffffff';
    const onPrimary = contrastRatio(on, colours.primary);
    if (onPrimary < AA_TEXT_CONTRAST) {
      report(ctx.loaded.at.organisation('branding', 'colours', colours.on_primary ? 'on_primary' : 'primary'), `text in ${on} on ${colours.primary} has a contrast of ${onPrimary.toFixed(2)}:1, under 4.5:1: buttons are hard to read`);
    }
  },
};

export const BRANDING_RULES: readonly Rule[] = [brandingContrast];
