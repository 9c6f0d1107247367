/**
 * Loads the content every workstation receives through the feed: the typification catalog, the
 * call scripts and the rule pack. Anything invalid stops the server with the file and the problem
 * named, because a bad script or catalog would otherwise reach every agent's desk.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catalogSchema } from '@gestiona/core/catalog';
import { rulePackSchema } from '@gestiona/core/compliance/types';
import { SEGMENTS } from '@gestiona/core/domain';
import { checkScript, scriptSchema, type Script } from '@gestiona/core/script';
import { strategySetSchema, type StrategySet } from '@gestiona/core/strategy/schema';
import { SCRIPT_IDS } from '@gestiona/core/segmentation';
import type { z } from 'zod';
import type { PublishedContent } from '../store/types.ts';
import { STRATEGY_CONTENT_KEY } from '../strategy/strategy-operation.ts';
import { checkRulePackDates } from './rule-pack-checks.ts';

export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Rejected ${file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ContentError';
  }
}

export async function loadResources(resourcesDir: string): Promise<PublishedContent[]> {
  const catalog = await readJson(join(resourcesDir, 'catalog.json'), catalogSchema);
  const rulePackFile = join(resourcesDir, 'rule-pack.json');
  const rulePack = await readJson(rulePackFile, rulePackSchema);
  const datesProblems = checkRulePackDates(rulePack);
  if (datesProblems.length > 0) throw new ContentError(rulePackFile, datesProblems);
  const scripts = await loadScripts(join(resourcesDir, 'scripts'));
  const strategy = await loadStrategy(join(resourcesDir, 'strategy.json'), scripts);

  return [
    { key: 'catalog', version: catalog.version, entry: { type: 'catalog.set', payload: catalog } },
    { key: 'rulepack', version: rulePack.version, entry: { type: 'rulepack.set', payload: rulePack } },
    { key: STRATEGY_CONTENT_KEY, version: strategy.version, entry: { type: 'strategy.set', payload: strategy } },
    ...scripts.map((script): PublishedContent => ({
      key: `script:${script.id}`,
      version: script.version,
      entry: { type: 'script.set', payload: script },
    })),
  ];
}

/** Every `*.json` under the folder, each checked by `checkScript`; every segment must have its script. */
export async function loadScripts(scriptsDir: string): Promise<Script[]> {
  const files = (await readdir(scriptsDir)).filter((name) => name.endsWith('.json')).sort();
  const scripts: Script[] = [];
  const seen = new Map<string, string>();

  for (const name of files) {
    const file = join(scriptsDir, name);
    const script = await readJson(file, scriptSchema);
    const problems = checkScript(script).map((problem) => `paso ${problem.stepId}: ${problem.message}`);
    if (problems.length > 0) throw new ContentError(file, problems);

    const previous = seen.get(script.id);
    if (previous) throw new ContentError(file, [`script id "${script.id}" is also used by ${previous}`]);
    seen.set(script.id, file);
    scripts.push(script);
  }

  const missing = SEGMENTS.filter((segment) => !seen.has(SCRIPT_IDS[segment]));
  if (missing.length > 0) {
    throw new ContentError(scriptsDir, missing.map((segment) => `no script "${SCRIPT_IDS[segment]}" for segment ${segment}`));
  }
  return scripts;
}

/** The factory default strategy; every script it names must be among the resources' scripts. */
async function loadStrategy(file: string, scripts: readonly Script[]): Promise<StrategySet> {
  const strategy = await readJson(file, strategySetSchema);
  const known = new Set(scripts.map((script) => script.id));
  const missing = strategy.segments.flatMap((segment) =>
    [segment.strategy.scriptId, ...(segment.strategy.treatments ?? []).map((treatment) => treatment.scriptId)].filter((id): id is string => id !== undefined && !known.has(id)).map((id) => `segment ${segment.id}: no script "${id}"`),
  );
  if (missing.length > 0) throw new ContentError(file, missing);
  return strategy;
}

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ContentError(file, [`cannot read the file: ${error instanceof Error ? error.message : String(error)}`]);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ContentError(file, [`invalid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }

  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ContentError(
      file,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}
