/** Where main keeps the session token; the renderer never sees it. */
export interface SecretStore {
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
}
