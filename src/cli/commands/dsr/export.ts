/**
 * `opendpo dsr export`: the right to data portability (Art. 20). Only the data the person
 * provided or that was observed, only from processing based on consent or a contract, in a
 * structured, machine-readable format (JSON, or a zip of CSV files). The request is completed only
 * once the export is written.
 */
import type { Command } from 'commander';
import { writePortabilityZip } from '../../../dsr/package/write-csv-zip.js';
import { writePortabilityJson } from '../../../dsr/package/write-json.js';
import { buildPortabilityExport } from '../../../dsr/portability.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import { LANGUAGES } from '../../../register/schema.js';
import { action } from '../../action.js';
import { addOutputOptions, addRequestOptions, checkOutput, deliverPackage, languageOption, loadRequestRegister, printSummary, withRequestContext, type OutputFlags, type RequestFlags } from './common.js';
import { addNewRequestOption, outcomeLines, runFromCli } from './run.js';

/** csv: one CSV file per table, in a zip. */
const FORMATS = { json: ['.json'], csv: ['.zip'] } as const;

interface ExportFlags extends RequestFlags, OutputFlags {
  lang?: string;
}

export function addDsrExportCommand(parent: Command): void {
  addRequestOptions(
    addNewRequestOption(
      addOutputOptions(
        parent
          .command('export')
          .description('Right to data portability (Art. 20): the data the person provided or that was observed, as JSON or CSV')
          .option('--register <dir>', 'the register folder: which processing rests on consent or contract (default: the one connections.yaml names)'),
        'export',
        FORMATS,
        'json',
        'csv, a zip with one CSV file per table, only to a file',
      ).option('--lang <lang>', `language of the labels: ${LANGUAGES.join(', ')}`, 'en'),
    ),
  ).action(
    action(async (flags: ExportFlags) => {
      const format = await checkOutput(flags, FORMATS, 'json');
      const lang = languageOption(flags.lang);
      if (format === 'csv' && flags.out === undefined) throw new OpendpoError('INVALID_INPUT', 'CSV files are written as a zip: give --out FILE.zip');
      return withRequestContext(flags, async (ctx) => {
        const register = await loadRequestRegister(flags, ctx.loaded);
        const outcome = await runFromCli('portability', { ...ctx, ...(register ? { register } : {}) }, flags, undefined, (collected) => {
          const exp = buildPortabilityExport(collected, { datasets: ctx.loaded.datasets, ...(register ? { register } : {}), lang });
          return deliverPackage(flags, format, format === 'json' ? writePortabilityJson(exp) : writePortabilityZip(exp));
        });
        printSummary([...outcomeLines(outcome), ...(flags.out ? [`wrote ${flags.out}`] : [])]);
        return 0;
      });
    }),
  );
}
