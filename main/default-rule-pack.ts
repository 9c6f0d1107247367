/**
 * The rule pack shipped with the app, used until the change feed delivers the server's version,
 * so a workstation that has never synced still enforces the legal windows.
 */
import { rulePackSchema, type RulePack } from '@gestiona/core/compliance/types';
import shipped from '../resources/rule-pack.json' with { type: 'json' };

export const DEFAULT_RULE_PACK: RulePack = rulePackSchema.parse(shipped);
