/**
 * Compliance alarms on the team lead's board, end to end in Chromium through browser mode. A team
 * lead watches the board while another workstation of an agent pushes a contact made on a Sunday,
 * which the server's re-evaluation blocks (R3). The alarm appears on the board, and the team lead
 * marks it as reviewed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushAckSchema, SOCKET_EVENTS } from '@gestiona/core/sync';
import { interactionEvent } from '../server/src/fixtures/events.ts';
import { connectWorkstation, login } from '../server/src/fixtures/server.ts';
import { startStack, visible, type Stack } from './support/stack.ts';

// Sunday 6 Dec 2026: the portfolio is seeded and leased at 08:00, and the forged contact is at 10:00.
const SEEDED_AT = '2026-12-06T08:00:00-05:00';
const CONTACT_AT = '2026-12-06T10:00:00-05:00';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(SEEDED_AT);
});

afterAll(async () => {
  await stack?.stop();
});

async function signIn(username: string): Promise<void> {
  const { page, users } = stack;
  const user = users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`demo user ${username} missing`);
  await visible(page.getByTestId('login-username'));
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
}

/** Pushes, from another workstation of agente2, a typified call on a Sunday to one of their debtors. */
async function pushSundayContact(): Promise<string> {
  const { server, users } = stack;
  const agent = users.find((candidate) => candidate.username === 'agente2')!;
  const { token, user } = await login(server.url, agent.username, agent.password, 'ws-forjada');
  const [lease] = await server.store.listActiveLeases(new Date(CONTACT_AT), user.id);
  const snapshot = await server.store.getDebtorSnapshot(lease!.debtorId, new Date(lease!.expiresAt));
  const titular = snapshot!.persons.find((person) => person.role === 'debtor')!;
  const phone = snapshot!.contactPoints.find((point) => point.personId === titular.id && point.channel === 'voice')!;

  const socket = await connectWorkstation(server.url, { token, workstationId: 'ws-forjada' });
  try {
    const event = interactionEvent({
      agentId: user.id,
      workstationId: 'ws-forjada',
      debtorId: snapshot!.id,
      personId: titular.id,
      contactPointId: phone.id,
      seq: 1,
      at: CONTACT_AT,
    });
    const ack = pushAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [event] }));
    expect(ack.ok && ack.results.map((result) => result.status)).toEqual(['stored']);
  } finally {
    socket.close();
  }
  return snapshot!.id;
}

describe('compliance alarms on the board in the browser', () => {
  it('shows a violation to the team lead and marks it as reviewed', async () => {
    const { page } = stack;
    stack.setClock(CONTACT_AT);
    await page.goto(stack.workstation.url);
    await signIn('supervisor1');

    const panel = page.getByTestId('board-alarms');
    await visible(panel);
    expect(await panel.getAttribute('data-open')).toBe('0');

    const debtorId = await pushSundayContact();

    const alarm = page.getByTestId('board-alarm');
    await expect.poll(() => alarm.count(), { timeout: 20_000 }).toBe(1);
    expect(await alarm.getAttribute('data-kind')).toBe('violation');
    expect(await alarm.textContent()).toContain('Posible infracción de la Ley 2300');
    expect(await alarm.textContent()).toContain(debtorId);
    expect(await alarm.textContent()).toContain('06/12/2026 10:00');
    expect(await alarm.getByTestId('board-alarm-message').textContent()).toContain('R3');
    const week = page.locator('[data-testid="board-alarm-week-count"][data-category="violation"]');
    expect(await week.getAttribute('data-count')).toBe('1');

    await alarm.getByTestId('board-alarm-ack').click();
    await expect.poll(() => alarm.count(), { timeout: 20_000 }).toBe(0);
    expect(await panel.getAttribute('data-open')).toBe('0');
    expect(await week.getAttribute('data-count')).toBe('1');
    const [stored] = await stack.server.store.listAlarms({ kind: 'violation', limit: 1 });
    expect(stored?.acknowledgedBy).toBe('supervisor1');
  });
});
