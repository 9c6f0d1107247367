/** A schedule request file after validation, and what the store keeps of each request. */
import type { DocType, PersonScheduleRequest } from '@gestiona/core/domain';

/** One window of a request: ISO weekdays (1 = Monday … 7 = Sunday) and Bogotá hours, the end exclusive. */
export interface RequestWindow {
  days: number[];
  from: string;
  to: string;
}

/** One person's request as the file gives it, over one or more rows. */
export interface ParsedScheduleRequest {
  docType: DocType;
  docNumber: string;
  window: RequestWindow[];
  /** `YYYY-MM-DD`. */
  requestedOn: string;
  contractSignedOn: string;
  /** Empty when the file gives none, and then the gate ignores the request with a warning. */
  evidence: string;
  consumerInitiated: boolean;
  /** First file line of the request. */
  line: number;
}

export interface ParsedScheduleRequestFile {
  requests: ParsedScheduleRequest[];
  rows: number;
  encoding: 'utf-8' | 'windows-1252' | 'xlsx';
}

/** A stored request, current or replaced. */
export interface StoredScheduleRequest extends PersonScheduleRequest {
  id: number;
  docType: DocType;
  docNumber: string;
  fileName: string;
  line: number;
  importedBy: string | null;
  /** ISO instant at which a newer request replaced this one; null for the current request. */
  replacedAt: string | null;
}

export interface ScheduleRequestFileInput {
  fileName: string;
  bytes: Uint8Array;
  /** Importer of the file (a username, or `cli:<os user>`). */
  importedBy?: string | null;
  now: Date;
}

export interface ScheduleRequestImportSummary {
  fileName: string;
  sha256: string;
  encoding: 'utf-8' | 'windows-1252' | 'xlsx';
  rows: number;
  /** Requests stored, one per person. */
  requests: number;
  /** Of them, requests that replaced an earlier one of the same person. */
  replaced: number;
  /** Debtor files sent again to the agent who has their lease. */
  debtorsUpdated: number;
}
