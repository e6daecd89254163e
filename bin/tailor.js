#!/usr/bin/env node
import { followParent, relaunchForServing } from '../dist/src/cli/relaunch.js';

if (!relaunchForServing()) {
  followParent();
  const { main } = await import('../dist/src/cli/main.js');
  await main();
}
