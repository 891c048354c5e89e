/**
 * `opendpo dsr export`: the right to data portability (Art. 20). Only the data the person
 * provided or that was observed, only from processing based on consent or a contract, in a
 * structured, machine-readable format (JSON, or a zip of CSV files).
 */
import type { Command } from 'commander';
import { writePortabilityZip } from '../../../dsr/package/write-csv-zip.js';
import { writePortabilityJson } from '../../../dsr/package/write-json.js';
import { buildPortabilityExport } from '../../../dsr/portability.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import { LANGUAGES } from '../../../register/schema.js';
import { action } from '../../action.js';
import { addRequestOptions, deliver, languageOption, loadRequestRegister, outputFormat, withRequestContext, type RequestFlags } from './common.js';
import { addNewRequestOption, outcomeLines, runFromCli } from './run.js';

const FORMATS = ['json', 'csv'] as const;

interface ExportFlags extends RequestFlags {
  format?: string;
  lang?: string;
}

export function addDsrExportCommand(parent: Command): void {
  addRequestOptions(
    addNewRequestOption(parent
      .command('export')
      .description('Right to data portability (Art. 20): the data the person provided or that was observed, as JSON or CSV')
      .option('--register <dir>', 'the register folder: which processing rests on consent or contract (default: the one connections.yaml names)')
      .option('--out <file>', 'write the export here (default: standard output; csv is a zip and needs a file)')
      .option('--format <format>', `${FORMATS.join(', ')} (csv: a zip with one CSV per table; default: from the --out extension, else json)`)
      .option('--lang <lang>', `language of the labels: ${LANGUAGES.join(', ')}`, 'en')),
  ).action(
    action(async (flags: ExportFlags) => {
      const format = outputFormat(flags, FORMATS, { '.json': 'json', '.zip': 'csv', '.csv': 'csv' }, 'json');
      const lang = languageOption(flags.lang);
      if (format === 'csv' && flags.out === undefined) throw new OpendpoError('INVALID_INPUT', 'CSV files are written as a zip: give --out FILE.zip');
      return withRequestContext(flags, async (ctx) => {
        const register = await loadRequestRegister(flags, ctx.loaded);
        const outcome = await runFromCli('portability', ctx, flags);
        const exp = buildPortabilityExport(outcome.collected, { datasets: ctx.loaded.datasets, ...(register ? { register } : {}), lang });
        await deliver(flags.out, format === 'json' ? writePortabilityJson(exp) : writePortabilityZip(exp), outcomeLines(outcome));
        return 0;
      });
    }),
  );
}
