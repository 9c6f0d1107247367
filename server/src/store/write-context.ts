/** Collects, during one transaction, which agents' feeds received entries, so hints go out after commit. */
export class WriteContext {
  readonly agentIds = new Set<string>();
  global = false;

  touch(agentId: string | null): void {
    if (agentId === null) this.global = true;
    else this.agentIds.add(agentId);
  }

  get touched(): boolean {
    return this.global || this.agentIds.size > 0;
  }
}
