/**
 * The rule catalogue: every id a user can see, in the order the docs and SARIF list them.
 */
import type { Rule } from './rule.js';
import { ART30_RULES } from './rules/art30.js';
import { BRANDING_RULES } from './rules/branding.js';
import { DPIA_RULES } from './rules/dpia.js';
import { FORWARDED_REQUEST_RULES } from './rules/forwarded-requests.js';
import { LEGAL_BASIS_RULES } from './rules/legal-basis.js';
import { LOADER_RULES } from './rules/loader.js';
import { NOTICE_RULES } from './rules/notice.js';
import { PROCESSOR_RULES } from './rules/processor.js';
import { REFERENCE_RULES } from './rules/references.js';
import { RETENTION_RULES } from './rules/retention.js';
import { TAXONOMY_RULES } from './rules/taxonomy.js';
import { TRANSFER_RULES } from './rules/transfers.js';

export const RULES: readonly Rule[] = [
  ...LOADER_RULES,
  ...REFERENCE_RULES,
  ...TAXONOMY_RULES,
  ...ART30_RULES,
  ...RETENTION_RULES,
  ...LEGAL_BASIS_RULES,
  ...TRANSFER_RULES,
  ...PROCESSOR_RULES,
  ...FORWARDED_REQUEST_RULES,
  ...DPIA_RULES,
  ...NOTICE_RULES,
  ...BRANDING_RULES,
];
