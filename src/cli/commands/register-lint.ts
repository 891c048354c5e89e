/**
 * `opendpo register lint DIR [--format text|json|sarif] [--output FILE]`: the register checked
 * against the GDPR. Exit 1 when any finding is an error (so CI fails), 0 otherwise.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { hasErrors, type Finding } from '../../register/finding.js';
import { formatJson } from '../../register/lint/format-json.js';
import { formatSarif } from '../../register/lint/format-sarif.js';
import { formatText } from '../../register/lint/format-text.js';
import { lintFolder } from '../../register/lint/lint-folder.js';
import { summariseFindings } from '../../register/lint/summarise-findings.js';
import { action } from '../action.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface LintOptions {
  format: string;
  output?: string;
}

/** Colour only for a person at a terminal: never in a file or a pipe, never when NO_COLOR is set (no-color.org). */
function wantsColor(): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

function render(findings: Finding[], format: Format, toFile: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(findings);
    case 'sarif':
      return formatSarif(findings, { baseDir: process.cwd() });
    case 'text':
      return formatText(findings, { color: !toFile && wantsColor() });
  }
}

export function addRegisterLintCommand(parent: Command): void {
  parent
    .command('lint')
    .description('Check a register folder against the GDPR (Art. 30, 13, 14, ...): every finding with its rule, article and file:line:column')
    .argument('<dir>', 'the register folder (organisation.yaml, recipients.yaml, systems.yaml, activities/*.yaml)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--output <file>', 'write the report to this file instead of standard output')
    .action(
      action(async (dir: string, opts: LintOptions) => {
        const format = FORMATS.find((f) => f === opts.format);
        if (!format) {
          throw new OpendpoError('INVALID_INPUT', `--format must be one of ${FORMATS.join(', ')}, not "${opts.format}"`);
        }
        const { findings } = await lintFolder(dir);
        const report = render(findings, format, opts.output !== undefined);
        if (opts.output !== undefined) {
          try {
            await writeFile(opts.output, report);
          } catch (err) {
            throw new OpendpoError('INVALID_INPUT', `cannot write --output ${opts.output} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, undefined, { cause: err });
          }
          const s = summariseFindings(findings);
          process.stderr.write(`opendpo: wrote ${opts.output}: ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos\n`);
        } else {
          process.stdout.write(report);
        }
        return hasErrors(findings) ? 1 : 0;
      }),
    );
}
