/**
 * The debtor's timeline and the promise follow-ups in Chromium through browser mode. An agent
 * makes a payment promise through the wrap-up on Monday. The timeline then lists the contact and
 * the promise, without the amount while no identity check is open (R12). On the promise's due day
 * the worklist tags the debtor as a follow-up. The server imports the creditor's payments file
 * with the payment, which keeps the promise: the timeline shows the payment and the kept status,
 * and the tag goes. In a new call, once the holder's identity is confirmed, the amounts show.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dial, dialableDebtor, signIn } from './support/desks.ts';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026 at 10:00: inside the weekday window, and the demo leases (7 days) cover the week.
const MONDAY = '2026-12-07T10:00:00-05:00';
// Thursday 10 Dec 2026 at 09:00: the day the promise falls due (Tuesday 8 is a holiday).
const DUE_DAY = '2026-12-10T09:00:00-05:00';
const DUE_DATE_TYPED = '10/12/2026';
const AMOUNT_TYPED = '150.000';
const AMOUNT_SHOWN = /\$\s?150\.000/;
/** The feed reaches the workstation after the server's hint: socket, pull, push to the renderer. */
const FEED = { timeout: 20_000, interval: 200 };

let stack: Stack;
let page: Page;
let target: { debtorId: string; docNumber: string; pointId: string };

beforeAll(async () => {
  stack = await startStack(MONDAY);
  page = stack.page;
  await page.goto(stack.workstation.url);
  await signIn(stack, page, 'agente1');
  await vi.waitFor(async () => expect(await page.getByTestId('worklist-row').count()).toBeGreaterThan(0), { timeout: 60_000, interval: 200 });
  target = await dialableDebtor(page);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const timeline = (): Locator => page.getByTestId('debtor-timeline');
const timelineEntries = (kind: string): Locator => timeline().locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`);
const currentStep = (): Locator => page.locator('[data-testid="script-step"][aria-current="step"]');

/** Texts of the timeline's entries of one kind, newest first. */
function entryTexts(kind: string): Promise<string[]> {
  return timelineEntries(kind).allTextContents();
}

async function saveWrapUp(): Promise<void> {
  await page.getByTestId('wrapup-save').click();
  try {
    await expect.poll(() => page.getByTestId('wrapup-panel').count(), FEED).toBe(0);
  } catch (error) {
    // The panel's error lines give the reason the wrap-up was rejected.
    throw new Error(`The wrap-up was not saved: ${await page.getByTestId('wrapup-panel').textContent()}`, { cause: error });
  }
}

/** Walks the open call's script from the greeting to the identity step, and picks "confirmada". */
async function confirmIdentity(): Promise<void> {
  await page.getByTestId('script-answer').first().click();
  await expect.poll(() => currentStep().getAttribute('data-step-kind')).toBe('identity-check');
  await page.locator('[data-testid="script-answer"][data-answer="confirmada"]').click();
  await expect.poll(() => page.getByTestId('identity-state').getAttribute('data-confirmed'), FEED).toBe('true');
}

/**
 * Goes back from the debtor view to the worklist, narrowed to the target debtor, and returns its
 * row. The worklist reads main on each visit, so the row reflects the clock of that moment.
 */
async function backToWorklistRow(): Promise<Locator> {
  await page.getByTestId('back-to-worklist').click();
  await visible(page.getByTestId('worklist'));
  await page.getByTestId('worklist-search').fill(target.docNumber);
  const row = page.locator(`[data-testid="worklist-row"][data-debtor-id="${target.debtorId}"]`);
  await visible(row);
  return row;
}

/** Builds the creditor's payments file: one payment of the whole promise on the due day, on the debtor's first obligation. */
async function paymentsFile(): Promise<Uint8Array> {
  const obligation = await page.evaluate(async (debtorId) => {
    const view = await window.gestiona['debtor:open']({ debtorId });
    if (!view.ok) throw new Error(view.error.message);
    return { docType: view.value.docType, docNumber: view.value.docNumber, creditor: view.value.obligations[0]!.creditor, number: view.value.obligations[0]!.number };
  }, target.debtorId);
  const rows = [
    'tipo_documento;numero_documento;numero_obligacion;entidad;fecha_pago;valor_pagado;referencia_pago',
    `${obligation.docType};${obligation.docNumber};${obligation.number};${obligation.creditor};${DUE_DATE_TYPED};${AMOUNT_TYPED};PAGO-E2E-1`,
  ];
  return new TextEncoder().encode(`${rows.join('\r\n')}\r\n`);
}

describe('debtor timeline and follow-ups', () => {
  it('lists contact and promise without amounts', async () => {
    await dial(page, target);
    await visible(page.getByTestId('wrapup-panel'));
    // A promise needs the holder's identity confirmed in the script (R12).
    await confirmIdentity();
    await page.getByTestId('wrapup-code-PP').click();
    await page.getByTestId('wrapup-field-amount').fill(AMOUNT_TYPED);
    await page.getByTestId('wrapup-field-date').fill(DUE_DATE_TYPED);
    await saveWrapUp();

    await visible(timeline());
    await expect.poll(() => entryTexts('contact'), FEED).toEqual([expect.stringContaining('PP Llamada: Promesa de pago')]);
    // The server's copy of the promise replaces the local one; either way it is listed once, pending.
    await expect.poll(() => entryTexts('promise'), FEED).toEqual([expect.stringContaining('Promesa de pago')]);
    const promise = timelineEntries('promise');
    expect(await promise.getByTestId('timeline-status').getAttribute('data-status')).toBe('pending');
    expect(await promise.textContent()).toContain('para el 10/12/2026');
    expect(await promise.textContent()).not.toMatch(AMOUNT_SHOWN);
    expect(await timeline().textContent()).not.toMatch(/\$/);
    await visible(page.getByTestId('timeline-amounts-hidden'));
    expect(await page.getByTestId('identity-state').getAttribute('data-confirmed')).toBe('false');

    // Before the due day the worklist carries no follow-up for the debtor.
    const row = await backToWorklistRow();
    expect(await row.getByTestId('worklist-status').getAttribute('data-legal-status')).toBe('contacted-today');
    expect(await row.getByTestId('worklist-follow-up').count()).toBe(0);
    await row.click();
    await visible(timeline());
  }, 120_000);

  it('tags the follow-up on the due day', async () => {
    stack.setClock(DUE_DAY);
    const row = await backToWorklistRow();
    const followUp = row.getByTestId('worklist-follow-up');
    await visible(followUp);
    expect(await followUp.getAttribute('data-follow-up')).toBe('due-today');
    expect(await followUp.textContent()).toBe('Seguimiento: promesa vence hoy');
    // A follow-up comes first in the worklist: the debtor leads the whole list, not only the search.
    await page.getByTestId('worklist-search').fill('');
    await expect.poll(() => page.getByTestId('worklist-row').first().getAttribute('data-debtor-id'), FEED).toBe(target.debtorId);
  }, 60_000);

  it('shows an imported payment and the kept promise', async () => {
    await page.getByTestId('worklist-search').fill(target.docNumber);
    const row = page.locator(`[data-testid="worklist-row"][data-debtor-id="${target.debtorId}"]`);
    await visible(row.getByTestId('worklist-follow-up'));

    const summary = await stack.server.store.importPayments({
      fileName: 'pagos-e2e.csv',
      bytes: await paymentsFile(),
      creditor: null,
      importedBy: 'e2e',
      now: new Date(DUE_DAY),
    });
    expect(summary).toMatchObject({ rows: 1, stored: 1, matched: 1, promisesChanged: { kept: 1 } });
    expect(summary.feedEntries).toBeGreaterThan(0);

    // The agent stays on the worklist: the feed's push reloads it, and the tag goes.
    await expect.poll(() => row.getByTestId('worklist-follow-up').count(), FEED).toBe(0);
    await visible(row);

    await row.click();
    await visible(timeline());
    await expect.poll(() => entryTexts('payment'), FEED).toEqual([expect.stringContaining('Pago recibido')]);
    await expect.poll(() => timelineEntries('promise').getByTestId('timeline-status').evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-status'))), FEED).toEqual([
      'kept',
      'kept',
    ]);
    expect(await timelineEntries('payment').textContent()).toContain('referencia PAGO-E2E-1');
    expect(await timeline().textContent()).not.toMatch(/\$/);
    await visible(page.getByTestId('timeline-amounts-hidden'));
  }, 120_000);

  it('shows amounts only while identity is confirmed', async () => {
    await page.locator(`[data-testid="contact-point"][data-contact-point-id="${target.pointId}"]`).getByTestId('dial-button').click();
    await visible(page.getByTestId('wrapup-panel'));
    // Still hidden while the call is open but the identity is not checked.
    expect(await timeline().textContent()).not.toMatch(/\$/);

    await confirmIdentity();

    await expect.poll(() => timelineEntries('payment').textContent(), FEED).toMatch(/Pago recibido: \$\s?150\.000/);
    expect((await entryTexts('promise')).some((text) => AMOUNT_SHOWN.test(text))).toBe(true);
    expect(await page.getByTestId('timeline-amounts-hidden').count()).toBe(0);

    await page.getByTestId('wrapup-code-NC').click();
    await saveWrapUp();
    await expect.poll(() => timeline().textContent(), FEED).not.toMatch(/\$/);
  }, 120_000);
});
