/** A portfolio file after validation: debtors grouped by document, ready to store. */
import type { Channel, DocType, PartyRole, Product } from '@gestiona/core/domain';
import type { VisitCreditType } from '@gestiona/core/compliance/types';

export interface PortfolioAuthorization {
  source: string;
  /** `YYYY-MM-DD`. */
  grantedOn: string;
  evidence: string;
}

export interface PortfolioContactPoint {
  id: string;
  channel: Channel;
  /** E.164 phone or lower-case e-mail. */
  address: string;
  /** null: no authorisation on file, so the point can never be contacted. References always have null. */
  authorization: PortfolioAuthorization | null;
}

export interface PortfolioPerson {
  id: string;
  role: PartyRole;
  docType: DocType | null;
  docNumber: string | null;
  fullName: string;
  relation: string | null;
  /** IANA zone from `zona_horaria`; only the debtor's own row has one. */
  timeZone: string | null;
  /** ISO alpha-2 country from `pais_residencia`; null for Colombia or when not given. */
  residenceCountry: string | null;
  /** Postal address from `direccion`, where letters and field visits go; only the debtor's own row has one. */
  postalAddress: string | null;
  contactPoints: PortfolioContactPoint[];
}

export interface PortfolioObligation {
  id: string;
  creditor: string;
  number: string;
  product: Product;
  balanceCents: number;
  overdueCents: number;
  daysPastDue: number;
  /** `YYYY-MM-DD` or null. */
  dueDate: string | null;
  writtenOff: boolean;
  /** Optional origination columns (`canal_originacion`, `ciudad_originacion`, `fecha_originacion` `YYYY-MM-DD`, `monto_originacion` in centavos). */
  originationChannel?: string | null;
  originationCity?: string | null;
  originationDate?: string | null;
  originationAmountCents?: number | null;
  /** R13 facts from `visita_tipo_credito` and `visita_autorizada`: a field visit needs both. */
  visitCreditType?: VisitCreditType | null;
  visitAllowed?: boolean;
  /** File line the obligation came from, for problems found while storing. */
  line: number;
}

export interface PortfolioDebtor {
  /** `debtorKey(docType, docNumber)`. */
  id: string;
  docType: DocType;
  docNumber: string;
  fullName: string;
  city: string | null;
  /** Optional `puntaje` column (credit or collection score); null or absent when the file gives none. */
  score?: number | null;
  obligations: PortfolioObligation[];
  /** The debtor first, then co-obligors, then references. */
  persons: PortfolioPerson[];
  /** First file line of this debtor. */
  line: number;
}

export interface ParsedPortfolio {
  debtors: PortfolioDebtor[];
  /** Data rows read (one per obligation). */
  rows: number;
  encoding: 'utf-8' | 'windows-1252' | 'xlsx';
}
