/**
 * Pure edits of a strategy draft in the administrator's editor: segments in order, their rules,
 * strategies, timelines and treatments. Every function returns a new set and leaves its input
 * unchanged, so the store can keep the published set to compare with.
 */
import type { Condition, RuleGroup, RuleNode, SegmentDefinition, StrategySet, TimelineActivity, Treatment } from '@gestiona/core/strategy/schema';

export type ActivityChannel = TimelineActivity['channel'];

/** Timeline rows in display order, one per channel. */
export const TIMELINE_CHANNELS: readonly ActivityChannel[] = ['call', 'sms', 'email', 'whatsapp', 'letter', 'visit'];

export const CHANNEL_NAMES: Readonly<Record<ActivityChannel, string>> = {
  call: 'Llamada',
  sms: 'SMS',
  email: 'Correo electrónico',
  whatsapp: 'WhatsApp',
  letter: 'Carta',
  visit: 'Visita',
};

/** Slug a new activity's id starts from, per channel. */
const ACTIVITY_ID_BASES: Readonly<Record<ActivityChannel, string>> = {
  call: 'llamada',
  sms: 'sms',
  email: 'correo',
  whatsapp: 'whatsapp',
  letter: 'carta',
  visit: 'visita',
};

export const ANCHOR_NAMES: Readonly<Record<TimelineActivity['anchor'], string>> = {
  assignment: 'desde la asignación al segmento',
  'due-date': 'desde el vencimiento',
};

export const STOP_NAMES: Readonly<Record<TimelineActivity['stopOn'][number], string>> = {
  'promise-made': 'Promesa de pago',
  'dispute-opened': 'Reclamación abierta',
  'payment-received': 'Pago recibido',
};

export type SegmentPatch = Partial<Pick<SegmentDefinition, 'id' | 'name' | 'description' | 'rule'>>;

/** The edited strategy's place in a segment: the segment's own, or one treatment's overrides. */
export type StrategyTarget = { kind: 'segment' } | { kind: 'treatment'; index: number };

export function updateSegment(set: StrategySet, index: number, patch: SegmentPatch): StrategySet {
  return withSegment(set, index, (segment) => ({ ...segment, ...patch }));
}

export function updateStrategy(set: StrategySet, index: number, patch: Partial<SegmentDefinition['strategy']>): StrategySet {
  return withSegment(set, index, (segment) => ({ ...segment, strategy: { ...segment.strategy, ...patch } }));
}

/** Moves a segment one place up (-1) or down (+1); out-of-range moves return the set unchanged. */
export function moveSegment(set: StrategySet, index: number, delta: -1 | 1): StrategySet {
  const target = index + delta;
  if (index < 0 || index >= set.segments.length || target < 0 || target >= set.segments.length) return set;
  const segments = [...set.segments];
  [segments[index], segments[target]] = [segments[target]!, segments[index]!];
  return { ...set, segments };
}

export function deleteSegment(set: StrategySet, index: number): StrategySet {
  return { ...set, segments: set.segments.filter((_segment, position) => position !== index) };
}

/**
 * Adds a segment before the last one, because the last must stay the catch-all. The new segment
 * copies the strategy of the catch-all, so it is valid once its rule and name are set.
 */
export function addSegment(set: StrategySet): { set: StrategySet; index: number } {
  const last = set.segments.at(-1);
  const id = uniqueId('segmento-nuevo', set.segments.map((segment) => segment.id));
  const segment: SegmentDefinition = {
    id,
    name: `Segmento nuevo ${set.segments.length + 1}`,
    rule: { all: [{ variable: 'daysPastDue', op: 'gte', value: 0 }] },
    strategy: last ? structuredClone(last.strategy) : { priority: 'daysPastDue', scriptId: '', timeline: [] },
  };
  const index = Math.max(0, set.segments.length - 1);
  const segments = [...set.segments];
  segments.splice(index, 0, segment);
  return { set: { ...set, segments }, index };
}

/** Splits a rule into its group kind and its children, for the flat condition editor. */
export function ruleParts(rule: RuleGroup): { kind: 'all' | 'any'; children: RuleNode[] } {
  return 'all' in rule ? { kind: 'all', children: rule.all } : { kind: 'any', children: rule.any };
}

export function ruleOf(kind: 'all' | 'any', children: RuleNode[]): RuleGroup {
  return kind === 'all' ? { all: children } : { any: children };
}

export function isCondition(node: RuleNode): node is Condition {
  return 'variable' in node;
}

export function timelineOf(segment: SegmentDefinition, target: StrategyTarget): readonly TimelineActivity[] {
  if (target.kind === 'segment') return segment.strategy.timeline;
  return segment.strategy.treatments?.[target.index]?.timeline ?? segment.strategy.timeline;
}

/** Replaces the timeline of the segment or of one treatment (which then overrides the segment's). */
export function setTimeline(set: StrategySet, index: number, target: StrategyTarget, timeline: TimelineActivity[]): StrategySet {
  if (target.kind === 'segment') return updateStrategy(set, index, { timeline });
  return updateTreatment(set, index, target.index, { timeline });
}

export function addActivity(set: StrategySet, index: number, target: StrategyTarget, channel: ActivityChannel, dayOffset: number): { set: StrategySet; activityId: string } {
  const segment = set.segments[index];
  if (!segment) return { set, activityId: '' };
  const timeline = timelineOf(segment, target);
  const activityId = uniqueId(ACTIVITY_ID_BASES[channel], timeline.map((activity) => activity.id));
  const activity: TimelineActivity = { id: activityId, channel, anchor: 'assignment', dayOffset, repeat: null, stopOn: ['promise-made', 'dispute-opened', 'payment-received'] };
  return { set: setTimeline(set, index, target, [...timeline, activity]), activityId };
}

export function updateActivity(set: StrategySet, index: number, target: StrategyTarget, activityId: string, patch: Partial<TimelineActivity>): StrategySet {
  const segment = set.segments[index];
  if (!segment) return set;
  const timeline = timelineOf(segment, target).map((activity) => (activity.id === activityId ? { ...activity, ...patch } : activity));
  return setTimeline(set, index, target, timeline);
}

export function deleteActivity(set: StrategySet, index: number, target: StrategyTarget, activityId: string): StrategySet {
  const segment = set.segments[index];
  if (!segment) return set;
  return setTimeline(set, index, target, timelineOf(segment, target).filter((activity) => activity.id !== activityId));
}

/** Day offsets of an activity and its repetitions, the first included. */
export function occurrenceOffsets(activity: TimelineActivity): number[] {
  const repeat = activity.repeat ?? null;
  if (repeat === null) return [activity.dayOffset];
  return Array.from({ length: 1 + repeat.times }, (_unused, position) => activity.dayOffset + position * repeat.everyDays);
}

/** Returns the day range the timeline grid shows: every occurrence, day 0, and a little room on both sides. */
export function dayRange(timeline: readonly TimelineActivity[]): { from: number; to: number } {
  const offsets = timeline.flatMap(occurrenceOffsets);
  const from = Math.min(0, ...offsets);
  const to = Math.max(14, ...offsets.map((offset) => offset + 2));
  return { from, to };
}

export function updateTreatment(set: StrategySet, index: number, treatmentIndex: number, patch: Partial<Treatment>): StrategySet {
  return withSegment(set, index, (segment) => {
    const treatments = (segment.strategy.treatments ?? []).map((treatment, position) => (position === treatmentIndex ? { ...treatment, ...patch } : treatment));
    return { ...segment, strategy: { ...segment.strategy, treatments } };
  });
}

/**
 * Adds a treatment. The first split creates a champion (the segment's strategy as it is) and a
 * challenger at 50 % each. Each later challenger takes 10 % from the champion.
 */
export function addTreatment(set: StrategySet, index: number): StrategySet {
  return withSegment(set, index, (segment) => {
    const treatments = [...(segment.strategy.treatments ?? [])];
    if (treatments.length === 0) {
      treatments.push({ id: 'campeon', name: 'Campeón', role: 'champion', percent: 50 }, { id: 'retador', name: 'Retador', role: 'challenger', percent: 50 });
    } else {
      const id = uniqueId('retador', treatments.map((treatment) => treatment.id));
      const champion = treatments.findIndex((treatment) => treatment.role === 'champion');
      if (champion >= 0 && treatments[champion]!.percent > 10) treatments[champion] = { ...treatments[champion]!, percent: treatments[champion]!.percent - 10 };
      treatments.push({ id, name: `Retador ${treatments.length}`, role: 'challenger', percent: 10 });
    }
    return { ...segment, strategy: { ...segment.strategy, treatments } };
  });
}

export function deleteTreatment(set: StrategySet, index: number, treatmentIndex: number): StrategySet {
  return withSegment(set, index, (segment) => {
    const treatments = (segment.strategy.treatments ?? []).filter((_treatment, position) => position !== treatmentIndex);
    const strategy = { ...segment.strategy };
    if (treatments.length === 0) delete strategy.treatments;
    else strategy.treatments = treatments;
    return { ...segment, strategy };
  });
}

/** Returns `base`, or `base-2`, `base-3`… whichever is not taken. */
export function uniqueId(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  let suffix = 2;
  while (taken.includes(`${base}-${suffix}`)) suffix += 1;
  return `${base}-${suffix}`;
}

function withSegment(set: StrategySet, index: number, change: (segment: SegmentDefinition) => SegmentDefinition): StrategySet {
  const segment = set.segments[index];
  if (!segment) return set;
  const segments = [...set.segments];
  segments[index] = change(segment);
  return { ...set, segments };
}
