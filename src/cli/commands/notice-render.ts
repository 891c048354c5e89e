/**
 * `opendpo notice render DIR [--lang en|fr] [--format html|md] [--output FILE]`: the privacy notice
 * (Art. 13-14) generated from the register. A register the loader cannot read is refused (exit 1,
 * each problem at file:line:column); gaps that only lint would report do not stop the notice: the
 * notice of an incomplete register is still the notice the organisation publishes.
 */
import type { Command } from 'commander';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { loadRegister } from '../../register/load.js';
import { LANGUAGES } from '../../register/schema.js';
import { renderNotice, type NoticeFormat } from '../../notice/render-notice.js';
import { action } from '../action.js';
import { checkOutputFile, chooseOutputFormat, writeOutputFile } from '../output-file.js';
import { requireReadableRegister } from '../require-readable-register.js';

/** The formats, each with the extensions of the --output file that name it. */
const FORMATS: Readonly<Record<NoticeFormat, readonly string[]>> = { html: ['.html', '.htm'], md: ['.md', '.markdown'] };

interface RenderOptions {
  lang?: string;
  format?: string;
  output?: string;
  force?: boolean;
}

export function addNoticeRenderCommand(parent: Command): void {
  parent
    .command('render')
    .description('Render the privacy notice of a register folder, in English or French, as HTML or Markdown')
    .argument('<dir>', 'the register folder (organisation.yaml, recipients.yaml, activities/*.yaml)')
    .option('--lang <lang>', `language of the notice: ${LANGUAGES.join(', ')} (default: the register's default_language)`)
    .option('--format <format>', `output format: ${Object.keys(FORMATS).join(', ')} (default: from the --output extension, else html)`)
    .option('--output <file>', 'write the notice to this file instead of standard output (.html, .md)')
    .option('--force', 'replace the --output file if it exists')
    .action(
      action(async (dir: string, opts: RenderOptions) => {
        // Arguments are checked before reading anything: a usage error is exit 2 whatever the register.
        const lang = opts.lang === undefined ? undefined : LANGUAGES.find((l) => l === opts.lang);
        if (opts.lang !== undefined && !lang) {
          throw new OpendpoError('INVALID_INPUT', `--lang must be one of ${LANGUAGES.join(', ')}, not "${opts.lang}"`);
        }
        const format = chooseOutputFormat({ format: opts.format, file: opts.output }, '--output', FORMATS, 'html');
        const output = opts.output === undefined ? undefined : { file: opts.output, option: '--output', force: opts.force === true };
        if (output) await checkOutputFile(output.file, output);

        const loaded = requireReadableRegister(await loadRegister(dir), `the notice of ${dir} is not rendered`);
        const notice = renderNotice(loaded.register, {
          lang: lang ?? loaded.register.organisation.default_language,
          format,
        });
        if (output === undefined) {
          process.stdout.write(notice);
          return 0;
        }
        await writeOutputFile(output.file, notice, output);
        process.stderr.write(`opendpo: wrote ${opts.output}\n`);
        return 0;
      }),
    );
}
