/**
 * The wrap-up form: the catalog, the code the agent chose, what they typed, and the problems found
 * by this window or returned by main. The pending wrap-up itself lives in the session store, because
 * main owns it and it survives restarts.
 */
import { create } from 'zustand';
import type { Catalog, CatalogCode } from '@gestiona/core/catalog';
import { callApi } from '../api/client.ts';
import { buildTypificationFields, type FieldDraft, type FieldDrafts } from '../wrapup/fields.ts';
import { useSessionStore } from './session.ts';

interface WrapUpStore {
  catalog: Catalog | null;
  catalogError: string | null;
  selectedCode: string | null;
  drafts: FieldDrafts;
  note: string;
  fieldErrors: Record<string, string>;
  formError: string | null;
  saving: boolean;
  /** Confirmation shown after the last save, until the next dial. */
  savedMessage: string | null;

  loadCatalog(): Promise<void>;
  selectCode(code: string): void;
  setDraft(name: string, value: FieldDraft): void;
  setNote(note: string): void;
  /** Saves the chosen code; main checks the identity check it recorded for a right-party code. */
  save(attemptId: string): Promise<boolean>;
  clearForm(): void;
  reset(): void;
}

const emptyForm = {
  selectedCode: null,
  drafts: {},
  note: '',
  fieldErrors: {},
  formError: null,
  saving: false,
};

export const useWrapUpStore = create<WrapUpStore>()((set, get) => ({
  catalog: null,
  catalogError: null,
  savedMessage: null,
  ...emptyForm,

  async loadCatalog() {
    const result = await callApi('catalog:get', {});
    if (!result.ok) {
      set({ catalogError: result.error.message });
      return;
    }
    set({ catalog: result.value, catalogError: null });
  },

  selectCode(code) {
    if (get().selectedCode === code) return;
    // Fields differ per code, so values typed for another code are dropped rather than sent.
    set({ selectedCode: code, drafts: {}, fieldErrors: {}, formError: null, savedMessage: null });
  },

  setDraft(name, value) {
    // Editing a field withdraws its old error; the next save checks it again.
    const fieldErrors = { ...get().fieldErrors };
    delete fieldErrors[name];
    set({ drafts: { ...get().drafts, [name]: value }, fieldErrors });
  },

  setNote(note) {
    set({ note });
  },

  async save(attemptId) {
    const { selectedCode, drafts, note, saving } = get();
    if (saving) return false;

    const code = findCode(get().catalog, selectedCode);
    if (!code) {
      set({ formError: 'Seleccione el resultado de la gestión.' });
      return false;
    }

    const built = buildTypificationFields(code, drafts);
    if (Object.keys(built.errors).length > 0) {
      set({ fieldErrors: built.errors, formError: 'Revise los campos marcados.' });
      return false;
    }

    set({ saving: true, formError: null, fieldErrors: {} });
    const trimmedNote = note.trim();
    const result = await callApi('wrapup:save', {
      attemptId,
      code: code.code,
      fields: built.fields,
      note: trimmedNote === '' ? null : trimmedNote,
    });

    if (!result.ok) {
      set({ saving: false, formError: result.error.message, fieldErrors: result.error.fields ?? {} });
      return false;
    }

    set({ ...emptyForm, savedMessage: `Tipificación guardada: ${code.label}.` });
    // Main pushes the session without the wrap-up; reading it now avoids waiting for that push.
    await useSessionStore.getState().load();
    return true;
  },

  clearForm() {
    set({ ...emptyForm });
  },

  reset() {
    set({ ...emptyForm, catalog: null, catalogError: null, savedMessage: null });
  },
}));

export function findCode(catalog: Catalog | null, code: string | null): CatalogCode | null {
  if (!catalog || !code) return null;
  return catalog.codes.find((entry) => entry.code === code && !entry.retired) ?? null;
}
