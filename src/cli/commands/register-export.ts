import type { Command } from 'commander';

// Scaffolding: replaced by the helper that owns this command.
export function addRegisterExportCommand(parent: Command): void {
  void parent;
}
