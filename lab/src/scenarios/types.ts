/** What every scenario reports (the `--json` object of `npm run lab`). */

/** The result of one scenario run. */
export interface ScenarioResult {
  scenario: string;
  /** Hosts in the lab (daemons plus, for `hostile`, the attacker). */
  hosts: number;
  /** Messages sent by the well-behaved daemons. */
  sent: number;
  /** Deliveries owed to the daemons that stayed up. */
  expected: number;
  /** Owed deliveries found stored in their inboxes. */
  delivered: number;
  /** Stored copies beyond the first of a message at one daemon (must be 0). */
  duplicates: number;
  /** The mesh ended as one component with every daemon at its target degree. */
  healed: boolean;
  /** Time until the faults were noticed by every daemon that stayed up, ms (null: no fault in this scenario). */
  detectMs: number | null;
  /** Namespaces and processes left behind after teardown (must be 0). */
  leftovers: number;
  /** Time until the mesh formed or healed, ms. */
  convergeMs: number | null;
  /** Scenario-specific figures and notes. */
  details: Record<string, unknown>;
}

/** A scenario's own part of the result (the runner adds hosts and leftovers). */
export type ScenarioOutcome = Omit<ScenarioResult, 'scenario' | 'hosts' | 'leftovers'>;

/** Progress lines for a human (stderr), silent in tests unless asked. */
export type Progress = (line: string) => void;
