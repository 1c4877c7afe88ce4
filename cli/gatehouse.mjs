#!/usr/bin/env node
// The gatehouse CLI (`npx gatehouse --help`): requests, decisions and grants from a terminal,
// authenticated with a personal API token (docs/decisions/045-api-tokens.md).
import { main } from './main.mjs';

process.exitCode = await main(process.argv.slice(2));
