import {
  AddProductRequest,
  DefinePipelineRequest,
  OpenDealRequest,
  RegisterCompanyRequest,
  RegisterSalesRepRequest,
} from '@relate/contracts';

import { CsvTable } from './csv.parser';

/** The four files of Maven Analytics' "CRM + Sales + Opportunities" sample. */
export const MAVEN_FILES = {
  accounts: 'accounts.csv',
  products: 'products.csv',
  teams: 'sales_teams.csv',
  pipeline: 'sales_pipeline.csv',
} as const;

export type MavenFile = keyof typeof MAVEN_FILES;
export type MavenTables = Record<MavenFile, CsvTable>;

export const MAVEN_PIPELINE_NAME = 'Maven CRM';

export const MAVEN_STAGES = [
  { name: 'Prospecting', kind: 'open' },
  { name: 'Engaging', kind: 'open' },
  { name: 'Won', kind: 'won' },
  { name: 'Lost', kind: 'lost' },
] as const;

export type MavenStage = (typeof MAVEN_STAGES)[number]['name'];

/** Where a command comes from, so a failure names the row. */
export interface RowRef {
  file: string;
  line: number;
}

/** A row that was not imported, and why. */
export interface RowProblem extends RowRef {
  reason: string;
}

export interface Adjustment {
  subject: 'company' | 'deal' | 'product' | 'rep';
  description: string;
  count: number;
}

/** Every record the import creates carries an id derived from the data (see import.ids.ts). */
type WithId<T> = T & { id: string };

export interface RepCommand {
  source: RowRef;
  body: WithId<RegisterSalesRepRequest>;
}

export interface CompanyCommand {
  source: RowRef;
  body: WithId<RegisterCompanyRequest>;
}

export interface ProductCommand {
  source: RowRef;
  body: WithId<AddProductRequest>;
}

export interface PipelineCommand {
  body: WithId<DefinePipelineRequest>;
}

export type DealStep =
  | { kind: 'move'; stage: MavenStage; occurredAt?: string }
  | { kind: 'won'; value?: number; occurredAt?: string }
  | { kind: 'lost'; reason: string; occurredAt?: string };

/** The deal's create command; pipeline and first stage are set when it runs. */
export type DealBody = WithId<Omit<OpenDealRequest, 'pipelineId' | 'stageId'>> & { title: string };

export interface DealCommand {
  source: RowRef;
  body: DealBody;
  /** The stage the deal is created in. */
  openStage: MavenStage;
  /** The stage moves and the closing, in order, each at its business date. */
  steps: DealStep[];
  finalStage: MavenStage;
  /** The deal's value once every step has run. */
  finalValue?: number;
}

export interface StageExpectation {
  dealCount: number;
  totalValue: number;
}

/** Everything the import will send, derived from the files alone (no I/O). */
export interface ImportPlan {
  reps: RepCommand[];
  /** Parents come in an earlier level than their subsidiaries. */
  companyLevels: CompanyCommand[][];
  products: ProductCommand[];
  pipeline: PipelineCommand;
  deals: DealCommand[];
  /** What the pipeline summary shows once every deal is imported into an empty pipeline. */
  expected: Record<MavenStage, StageExpectation>;
  adjustments: Adjustment[];
  /** Policies applied to every row of a kind, stated once in the summary. */
  notes: string[];
  problems: RowProblem[];
  rowCounts: Record<MavenFile, number>;
}
