#!/usr/bin/env -S node --max-semi-space-size=32
import { main } from '../dist/src/cli/main.js';

await main();
