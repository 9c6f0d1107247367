/** The factory default strategy, `resources/strategy.json`, in force until the first publication. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStrategySet, type StrategySet } from '@gestiona/core/strategy/schema';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';

export const STRATEGY_FILE_NAME = 'strategy.json';

let cached: StrategySet | null = null;

/** Reads and validates the default set once; a broken file throws with the problems named. */
export function defaultStrategySet(): StrategySet {
  cached ??= parseStrategySet(JSON.parse(readFileSync(join(DEFAULT_RESOURCES_DIR, STRATEGY_FILE_NAME), 'utf8')));
  return cached;
}
