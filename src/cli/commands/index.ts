import type { Command } from 'commander';

/** Every sub-command registers itself on the root program; add one line per command file. */
export const COMMANDS: Array<(program: Command) => void> = [];
