import type { Command } from 'commander';
import { registerDataStats } from './data-stats.js';
import { registerEmbed } from './embed.js';
import { registerEval } from './eval.js';
import { registerGenerate } from './generate.js';
import { registerServe } from './serve.js';
import { registerStart } from './start.js';
import { registerTrain } from './train.js';
import { registerTune } from './tune.js';

/** Every sub-command registers itself on the root program; add one line per command file. */
export const COMMANDS: Array<(program: Command) => void> = [
  registerDataStats,
  registerEmbed,
  registerGenerate,
  registerEval,
  registerServe,
  registerStart,
  registerTrain,
  registerTune,
];
