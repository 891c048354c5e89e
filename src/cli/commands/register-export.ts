/**
 * `opendpo register export DIR --format csv|jsonld [--lang en|fr] [--output FILE]`: the register
 * as a CNIL-style sheet (CSV, UTF-8 with BOM, one row per activity) or as W3C DPV JSON-LD.
 * A register with errors is refused (exit 1, problems listed with file:line:column): an
 * export is a record of processing, and a record built from half-read files would mislead.
 */
import type { Command } from 'commander';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { exportCsv } from '../../register/export/export-csv.js';
import { exportJsonLd } from '../../register/export/export-json-ld.js';
import { loadRegister } from '../../register/load.js';
import { LANGUAGES, type Language } from '../../register/schema.js';
import { action } from '../action.js';
import { checkOutputFile, chooseOutputFormat, writeOutputFile } from '../output-file.js';
import { requireReadableRegister } from '../require-readable-register.js';

/** The formats, each with the extensions of the --output file that name it. */
const FORMATS = { csv: ['.csv'], jsonld: ['.jsonld', '.json'] } as const;

interface ExportOptions {
  format?: string;
  lang?: string;
  output?: string;
  force?: boolean;
}

const HELP = `
Formats:
  csv      the CNIL register template as one sheet: a header row, then one row per activity
           (reference, dates, controller, DPO, purposes and legal bases, data categories with
           their retention, sensitive data, data subjects, recipients, transfers outside the
           EU, security measures, DPIA). RFC 4180, UTF-8 with a byte order mark so Excel shows
           accents; lists inside a cell are one item per line.
  jsonld   W3C Data Privacy Vocabulary 2.x (https://w3id.org/dpv#) with the EU-GDPR extension:
           each activity a dpv:Process, identifiers urn:opendpo:<organisation>:activity:<id>.

Examples:
  opendpo register export examples/acme-shop --lang fr --output registre.csv
  opendpo register export examples/acme-shop --format jsonld > register.jsonld
`;

export function addRegisterExportCommand(parent: Command): void {
  parent
    .command('export')
    .description('Export the register as a CNIL-style sheet (CSV) or as W3C DPV JSON-LD (Art. 30)')
    .argument('<dir>', 'the register folder')
    .option('--format <format>', `output format: ${Object.keys(FORMATS).join(', ')} (default: from the --output extension; needed on standard output)`)
    .option('--lang <lang>', `language of labels and texts for csv: ${LANGUAGES.join(', ')} (default: the register's default language)`)
    .option('--output <file>', 'write the export to this file instead of standard output (.csv, .jsonld)')
    .option('--force', 'replace the --output file if it exists')
    .addHelpText('after', HELP)
    .action(
      action(async (dir: string, opts: ExportOptions) => {
        const format = chooseOutputFormat({ format: opts.format, file: opts.output }, '--output', FORMATS, undefined);
        const output = opts.output === undefined ? undefined : { file: opts.output, option: '--output', force: opts.force === true };
        const lang = opts.lang === undefined ? undefined : LANGUAGES.find((l) => l === opts.lang);
        if (opts.lang !== undefined && !lang) {
          throw new OpendpoError('INVALID_INPUT', `--lang must be one of ${LANGUAGES.join(', ')}, not "${opts.lang}"`);
        }

        if (output) await checkOutputFile(output.file, output);

        const loaded = requireReadableRegister(await loadRegister(dir), 'not exported');
        const register = loaded.register;
        const language: Language = lang ?? register.organisation.default_language;
        const content = format === 'csv' ? exportCsv(register, language) : `${JSON.stringify(exportJsonLd(register), null, 2)}\n`;

        if (output === undefined) {
          process.stdout.write(content);
          return 0;
        }
        await writeOutputFile(output.file, content, output);
        process.stderr.write(`opendpo: wrote ${opts.output}: ${register.activities.length} activities as ${format}\n`);
        return 0;
      }),
    );
}
