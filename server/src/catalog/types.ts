/** Records of the catalog history and of the collection holds, as the store returns them. */
import type { Catalog } from '@gestiona/core/catalog';
import type { HoldKind } from '@gestiona/core/catalog-holds';

export type CatalogSource = 'resources' | 'admin';

export interface CatalogVersionRecord {
  id: number;
  version: string;
  catalog: Catalog;
  sha256: string;
  source: CatalogSource;
  /** Null for the resources file. */
  publishedBy: { id: string; username: string; fullName: string } | null;
  publishedAt: string;
  reason: string | null;
  changeSeq: number;
}

export interface CatalogPublishInput {
  /** The catalog as received; it is validated before anything is written. */
  catalog: unknown;
  reason?: string | null;
  publishedBy: string;
  now: Date;
}

export interface CatalogPublication {
  /** False when the catalog was already the one in force, with the same content. */
  published: boolean;
  current: CatalogVersionRecord;
  previous: CatalogVersionRecord | null;
}

export interface CollectionHoldRecord {
  id: number;
  debtorId: string;
  debtorName: string | null;
  kind: HoldKind;
  code: string;
  since: string;
  interactionId: string;
  agentId: string;
  recordedAt: string;
  liftedAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
}

export interface HoldLiftInput {
  debtorId: string;
  /** The team lead or administrator who lifts the hold. */
  liftedBy: string;
  reason: string;
  now: Date;
  /** Lifts only the hold of this kind; absent, every hold in force. A debtor can be both in dispute and deceased. */
  kind?: HoldKind;
}
