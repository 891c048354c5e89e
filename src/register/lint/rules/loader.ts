/**
 * The rules the loader (src/register/load.ts) reports while reading files. They have no check here;
 * they are listed so that every id a user can see has a title and help (SARIF, docs).
 */
import type { Rule } from '../rule.js';

export const LOADER_RULES: readonly Rule[] = [
  {
    id: 'file/unreadable',
    severity: 'error',
    title: 'The register folder or a file cannot be read',
    help: 'The folder does not exist, is not a folder, or a file cannot be opened. Check the path and the file permissions.',
  },
  {
    id: 'file/not-utf8',
    severity: 'error',
    title: 'A file is not valid UTF-8',
    help: 'Register files are UTF-8 text. Save the file as UTF-8 (the position shows the first byte that is not).',
  },
  {
    id: 'file/too-large',
    severity: 'error',
    title: 'A file is larger than a register file can be',
    help: 'Register files are text written by people and are limited to 2 MB; a larger file is not a register file. Split it, or move data out of the register.',
  },
  {
    id: 'file/link-refused',
    severity: 'error',
    title: 'A symbolic link leads outside the register folder, or nowhere',
    help: 'Links are followed only when they stay inside the register folder, which is what is reviewed and published; at a git revision no link is followed. Copy the file into the folder, or point the link inside it.',
  },
  {
    id: 'file/activities-not-folder',
    severity: 'error',
    title: 'activities is not a folder',
    help: 'The processing activities are a folder, activities/, with one YAML file per activity (sub-folders are read too). A register read without them would describe no processing.',
  },
  {
    id: 'file/not-yaml',
    severity: 'warning',
    title: 'A file in activities/ is not read',
    help: 'Only files ending in .yaml or .yml are activities. Rename the file if it is one; move it out of activities/ if it is not.',
  },
  {
    id: 'file/empty-register',
    severity: 'error',
    title: 'The folder holds no register file',
    help: 'A register is a folder with organisation.yaml, recipients.yaml, systems.yaml and activities/*.yaml. Check the path.',
  },
  {
    id: 'yaml/syntax',
    severity: 'error',
    title: 'A file is not valid YAML',
    help: 'The YAML cannot be parsed at the position shown: check indentation, quotes and colons.',
  },
  {
    id: 'yaml/alias-limit',
    severity: 'error',
    title: 'A file uses YAML aliases too many times, or in a cycle',
    help: 'Aliases that expand exponentially ("billion laughs") or refer to a node containing themselves are refused. Write the values out.',
  },
  {
    id: 'yaml/node-limit',
    severity: 'error',
    title: 'A file holds more YAML values than a register file does',
    help: 'A register file holds a few hundred values; one holding more than 50,000 is refused unread, from the place it passes them, so that reading it costs no more than that. Split it (one activity per file).',
  },
  {
    id: 'yaml/duplicate-key',
    severity: 'error',
    title: 'A key appears twice in the same mapping',
    help: 'With a duplicated key one of the values would be silently lost. Keep one.',
  },
  {
    id: 'schema/invalid',
    severity: 'error',
    title: 'A value does not have the type or form the format expects',
    help: 'The register format (schema/*.schema.json, docs/register-format.md) gives each field its type and allowed values. Correct the value at the position shown.',
  },
  {
    id: 'schema/unknown-key',
    severity: 'error',
    title: 'A key is not part of the register format',
    help: 'Unknown keys are refused so that a typo never silently drops information. Use the key suggested, or see docs/register-format.md.',
  },
];
