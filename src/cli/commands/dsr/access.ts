/**
 * `opendpo dsr access`: the right of access (Art. 15). Finds the person's rows in every declared
 * system and writes the access package in the three parts the EDPB asks for (confirmation, the
 * copy of the data, the processing information from the register) as JSON, a zip of CSV files, or
 * a readable HTML document. The request is completed only once the package is written.
 */
import type { Command } from 'commander';
import { buildAccessPackage } from '../../../dsr/package/build-access-package.js';
import { writeAccessPackageZip } from '../../../dsr/package/write-csv-zip.js';
import { writeAccessPackageHtml } from '../../../dsr/package/write-html.js';
import { writeAccessPackageJson } from '../../../dsr/package/write-json.js';
import { OpendpoError } from '../../../errors/opendpo-error.js';
import { LANGUAGES } from '../../../register/schema.js';
import { action } from '../../action.js';
import { addOutputOptions, addRequestOptions, checkOutput, deliverPackage, languageOption, loadRequestRegister, printSummary, withRequestContext, type OutputFlags, type RequestFlags } from './common.js';
import { addNewRequestOption, outcomeLines, runFromCli } from './run.js';

const FORMATS = { json: ['.json'], html: ['.html', '.htm'], zip: ['.zip'] } as const;

interface AccessFlags extends RequestFlags, OutputFlags {
  lang?: string;
}

export function addDsrAccessCommand(parent: Command): void {
  addRequestOptions(
    addNewRequestOption(
      addOutputOptions(
        parent
          .command('access')
          .description('Right of access (Art. 15): find the person\'s data in every system and write the access package')
          .option('--register <dir>', 'the register folder, for the processing information (default: the one connections.yaml names)'),
        'package',
        FORMATS,
        'json',
        'a zip only to a file',
      ).option('--lang <lang>', `language of the package: ${LANGUAGES.join(', ')}`, 'en'),
    ),
  ).action(
    action(async (flags: AccessFlags) => {
      const format = await checkOutput(flags, FORMATS, 'json');
      const lang = languageOption(flags.lang);
      if (format === 'zip' && flags.out === undefined) throw new OpendpoError('INVALID_INPUT', 'a zip is written to a file: give --out FILE.zip');
      return withRequestContext(flags, async (ctx) => {
        const register = await loadRequestRegister(flags, ctx.loaded);
        const outcome = await runFromCli('access', { ...ctx, ...(register ? { register } : {}) }, flags, undefined, (collected) => {
          const pkg = buildAccessPackage(collected, { datasets: ctx.loaded.datasets, ...(register ? { register } : {}), lang });
          const content = format === 'json' ? writeAccessPackageJson(pkg) : format === 'html' ? writeAccessPackageHtml(pkg) : writeAccessPackageZip(pkg);
          return deliverPackage(flags, format, content);
        });
        printSummary([...outcomeLines(outcome), ...(flags.out ? [`wrote ${flags.out}`] : [])]);
        return 0;
      });
    }),
  );
}
