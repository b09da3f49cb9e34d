/**
 * What a bench suite is to run.ts: a name, a run() that returns its data (for the JSON
 * file), its readable report (for stdout) and its rows of the final summary.
 */

export interface SummaryRow {
  readonly metric: string;
  readonly value: string;
  /** '-' for a row that informs and has no goal. */
  readonly goal: string;
  /** undefined when the row has no goal. */
  readonly pass: boolean | undefined;
}

export interface SuiteResult {
  readonly data: Record<string, unknown>;
  readonly report: string;
  readonly summary: readonly SummaryRow[];
}

/** Progress for stderr: the bench runs for minutes, so say what it is doing. */
export type Progress = (message: string) => void;

export interface Suite {
  readonly name: string;
  readonly title: string;
  run(progress: Progress): Promise<SuiteResult>;
}

export function info(metric: string, value: string): SummaryRow {
  return { metric, value, goal: '-', pass: undefined };
}

export function goal(metric: string, value: string, goalText: string, pass: boolean): SummaryRow {
  return { metric, value, goal: goalText, pass };
}
