#!/usr/bin/env node
/**
 * The `opendpo` command. Each subcommand lives in its own file under ./commands and only
 * parses arguments, calls one domain or store function, and presents the result.
 */
import { Command } from 'commander';
import { addNoticeRenderCommand } from './commands/notice-render.js';
import { addRegisterDiffCommand } from './commands/register-diff.js';
import { addRegisterExportCommand } from './commands/register-export.js';
import { addRegisterLintCommand } from './commands/register-lint.js';
import { addRegisterPublishCommand } from './commands/register-publish.js';
import { addServeCommand } from './commands/serve.js';
import { addAuditCommands } from './commands/audit.js';
import { addUserCommands } from './commands/user.js';
import { addAttachmentCommands } from './commands/attachments.js';
import { addDatasetGenerateCommand } from './commands/dataset-generate.js';
import { addDsrAccessCommand } from './commands/dsr/access.js';
import { addDsrEraseCommand } from './commands/dsr/erase.js';
import { addDsrExportCommand } from './commands/dsr/export.js';
import { addDsrPlanCommand } from './commands/dsr/plan.js';
import { addDsrRectifyCommand } from './commands/dsr/rectify.js';
import { addDsrRestrictCommand } from './commands/dsr/restrict.js';
import { addDsrRestrictionCommands } from './commands/dsr/restrictions.js';
import { addDsrShowCommands } from './commands/dsr/show.js';
import { addDsrTaskCommands } from './commands/dsr/tasks.js';
import { reportError } from './action.js';
import { endOutputQuietlyWhenClosed } from './standard-output.js';
import { VERSION } from '../version.js';

// `opendpo dsr list | head -1`: a reader that stops reading ends the output, not in a stack trace.
endOutputQuietlyWhenClosed();

const program = new Command('opendpo')
  .description('Privacy operations as code: the GDPR register, the privacy notice, and the requests of data subjects.')
  .version(VERSION)
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(`opendpo: ${str.replace(/^error: /, '')}`) });
program.exitOverride((err) => {
  // Usage errors (unknown option, missing argument) exit 2; --help and --version exit 0.
  process.exit(err.exitCode === 0 ? 0 : 2);
});

const register = program.command('register').description('Lint, compare, export and publish the register of processing activities (Art. 30)');
addRegisterLintCommand(register);
addRegisterDiffCommand(register);
addRegisterExportCommand(register);
addRegisterPublishCommand(register);

const notice = program.command('notice').description('The privacy notice generated from the register (Art. 13-14)');
addNoticeRenderCommand(notice);

const dataset = program.command('dataset').description('Datasets: what each system holds about people, and how a request finds it');
addDatasetGenerateCommand(dataset);

const dsr = program
  .command('dsr')
  .description('Requests of data subjects (Art. 15-18, 20): find, export, rectify, restrict and erase one person\'s data');
addDsrPlanCommand(dsr);
addDsrAccessCommand(dsr);
addDsrExportCommand(dsr);
addDsrRectifyCommand(dsr);
addDsrRestrictCommand(dsr);
addDsrRestrictionCommands(dsr);
addDsrEraseCommand(dsr);
addDsrShowCommands(dsr);
addDsrTaskCommands(dsr);

addServeCommand(program);

const audit = program.command('audit').description('The audit log: every publication, decision and transition, hash-chained (Art. 5(2))');
addAuditCommands(audit);

const user = program.command('user').description('Staff accounts and API tokens of the request desk');
addUserCommands(user);

const attachments = program.command('attachments').description('The originals attached to requests, kept encrypted (re-sealing under a new key)');
addAttachmentCommands(attachments);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err);
}
