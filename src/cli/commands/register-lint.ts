/**
 * `opendpo register lint DIR [--format text|json|sarif] [--output FILE]`: the register checked
 * against the GDPR. Exit 1 when any finding is an error (so CI fails), 0 otherwise.
 */
import type { Command } from 'commander';
import { hasErrors, type Finding } from '../../register/finding.js';
import { formatJson } from '../../register/lint/format-json.js';
import { formatSarif } from '../../register/lint/format-sarif.js';
import { formatText } from '../../register/lint/format-text.js';
import { lintFolder } from '../../register/lint/lint-folder.js';
import { summariseFindings } from '../../register/lint/summarise-findings.js';
import { action } from '../action.js';
import { checkOutputFile, chooseOutputFormat, writeOutputFile } from '../output-file.js';

/** The formats, each with the extensions of the --output file that name it. */
const FORMATS = { text: ['.txt'], json: ['.json'], sarif: ['.sarif', '.sarif.json'] } as const;
type Format = keyof typeof FORMATS;

interface LintOptions {
  format?: string;
  output?: string;
  force?: boolean;
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
    .option('--format <format>', `output format: ${Object.keys(FORMATS).join(', ')} (default: from the --output extension, else text)`)
    .option('--output <file>', 'write the report to this file instead of standard output (.txt, .json, .sarif)')
    .option('--force', 'replace the --output file if it exists')
    .action(
      action(async (dir: string, opts: LintOptions) => {
        const format = chooseOutputFormat({ format: opts.format, file: opts.output }, '--output', FORMATS, 'text');
        const output = opts.output === undefined ? undefined : { file: opts.output, option: '--output', force: opts.force === true };
        if (output) await checkOutputFile(output.file, output);
        const { findings } = await lintFolder(dir);
        const report = render(findings, format, opts.output !== undefined);
        if (output) {
          await writeOutputFile(output.file, report, output);
          const s = summariseFindings(findings);
          process.stderr.write(`opendpo: wrote ${opts.output}: ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos\n`);
        } else {
          process.stdout.write(report);
        }
        return hasErrors(findings) ? 1 : 0;
      }),
    );
}
