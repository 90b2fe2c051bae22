/**
 * The fault matrix's cells, read from the state machine files: every Task state of every workflow
 * × every step fault mode. A new Task state is a new row without writing a test. Pure (files in,
 * cells and Markdown out), so `npm run docs` can write docs/fault-matrix.md and the docs test can
 * tell when it is stale; `test/faults/fault-matrix.test.ts` runs each cell against the twin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type WorkflowName, workflows } from '../../../lambdas/lib/workflows.ts';
import { type StepDefinition, steps } from '../../../lambdas/steps/registry.ts';

export const MODES = ['fail', 'lose-response', 'timeout', 'crash', 'duplicate'] as const;
export type Mode = (typeof MODES)[number];

export interface TaskRow {
  readonly workflow: WorkflowName;
  readonly state: string;
  readonly step: StepDefinition;
}

export interface Cell extends TaskRow {
  readonly mode: Mode;
  /** Set when the cell may differ from the fault-free run, and how: a documented exception. */
  readonly exception?: Exception;
}

/** What a cell may show beyond the fault-free run, and why that is the right behaviour. */
export interface Exception {
  /** Observation field → the largest value it may take in this cell. */
  readonly atMost: Readonly<Record<string, number>>;
  readonly reason: string;
}

interface AslState {
  readonly Type: string;
  readonly Parameters?: { readonly FunctionName?: string };
  readonly Resource?: string;
  readonly States?: Record<string, AslState>;
  readonly ItemProcessor?: { readonly States: Record<string, AslState> };
  readonly Iterator?: { readonly States: Record<string, AslState> };
  readonly Branches?: readonly { readonly States: Record<string, AslState> }[];
}

const root = join(import.meta.dirname, '..', '..', '..');

/** Every Task state of a workflow file, in file order (nested Map and Parallel states too). */
export const taskRows = (workflow: WorkflowName): TaskRow[] => {
  const text = readFileSync(join(root, workflows[workflow].file), 'utf8');
  const rows: TaskRow[] = [];
  const visit = (states: Record<string, AslState>) => {
    for (const [state, definition] of Object.entries(states)) {
      const reference = definition.Parameters?.FunctionName ?? definition.Resource ?? '';
      const stepName = /\$\{(\w+)FunctionArn\}/.exec(reference)?.[1];
      if (definition.Type === 'Task') {
        const step = steps.find((s) => s.name === stepName);
        if (!step)
          throw new Error(`${workflow}/${state} invokes ${reference}, not a registry step`);
        rows.push({ workflow, state, step });
      }
      const nested = definition.ItemProcessor ?? definition.Iterator;
      if (nested) visit(nested.States);
      for (const branch of definition.Branches ?? []) visit(branch.States);
    }
  };
  visit(JSON.parse(text).States);
  return rows;
};

/**
 * Cells allowed to differ from the fault-free run. The one class: a step whose effect goes to the
 * outside world (a mail, a webhook POST, an activity's http-ping) and is recorded after it.
 * When the process dies between the effect and the record, nothing remembers the effect, and the
 * retry after the claim lease sends again — the at-least-once window every external effect without
 * a receiver-side key has. Webhook receivers get the same `webhook-id` on both and can drop the
 * second; mail has no such key.
 */
const EXCEPTIONS: Readonly<Record<string, Exception>> = {
  'SendWelcomeEmail/crash': {
    atMost: { welcomes: 2 },
    reason:
      'the mail went out, the process died before marking it sent; the retry after the claim lease sends it again',
  },
  'SendReceipt/crash': {
    atMost: { receipts: 2 },
    reason:
      'the receipt went out, the process died before marking it sent; the retry after the claim lease sends it again',
  },
  'SendWebhook/crash': {
    atMost: { accepted: 2 },
    reason:
      'the POST was accepted, the process died before recording it; the retry after the claim lease posts again with the same webhook-id, which receivers dedupe',
  },
  'RunTask/crash': {
    atMost: { pings: 2 },
    reason:
      "an http-ping's GET went out, the process died before settling its task instance; the retry after the claim lease pings again",
  },
};

/**
 * States the fault-free run does not visit, and the permanent fault that leads there: a second
 * fault on another state, armed for every attempt, so its retries run out and the Catch routes the
 * execution through the state under test.
 */
export const REACH: Readonly<Record<WorkflowName, Readonly<Record<string, string>>>> = {
  'provision-project': {
    RecordWelcomeFailed: 'mail:fail',
    MarkFailed: 'step.RunMigrations:fail',
    DropTenantStorage: 'step.RunMigrations:fail',
    SoftDeleteTenant: 'step.RunMigrations:fail',
  },
  'deprovision-project': {},
  'deliver-webhook': { MarkFailed: 'webhook:fail' },
  'charge-order': {
    RecordReceiptFailed: 'mail:fail',
    // Fulfil grants the entitlement and loses every answer: the compensation has one to revoke.
    RevokeEntitlement: 'step.Fulfil:lose-response',
    Refund: 'step.Fulfil:lose-response',
    MarkOrderFailed: 'step.Charge:fail',
  },
  'run-activity': {},
};

/** Every cell of the matrix, workflow by workflow, state by state, mode by mode. */
export const cells = (): Cell[] =>
  (Object.keys(workflows) as WorkflowName[]).flatMap((workflow) =>
    taskRows(workflow).flatMap((row) =>
      MODES.map((mode) => {
        const exception = EXCEPTIONS[`${row.step.name}/${mode}`];
        return exception ? { ...row, mode, exception } : { ...row, mode };
      }),
    ),
  );

/** docs/fault-matrix.md: one row per Task state, ✓ or a numbered exception per mode. */
export const matrixMarkdown = (): string => {
  const all = cells();
  const notes: string[] = [];
  const lines = [
    '# Fault matrix',
    '',
    '<!-- Generated by `npm run docs` from statemachines/*.asl.json and test/support/fault-matrix/cells.ts; do not edit. -->',
    '',
    `Every Task state of every state machine × every step fault the twin injects (${all.length} cells).`,
    'Each cell starts the saga through the HTTP API with that one fault armed for one attempt',
    '(`step.<State>:<mode>:1`, see [twin.md](twin.md#faults)), waits for the execution to end and',
    'compares what happened — terminal states of the execution and the business record, and every',
    'effect counted by what it is (mails per recipient, payment intents and refunds per order,',
    'webhook POSTs per event id, run and task records, schedules, tenant rows) — with the same saga',
    'run without the fault. ✓ means identical: the retry absorbed the fault, the outcome is the same',
    'and no effect happened twice. States that only run on a failure path are reached by a second,',
    'permanent fault on an earlier step (noted per workflow). `test/faults/fault-matrix.test.ts`',
    'runs every cell in `npm test`.',
    '',
  ];
  for (const workflow of Object.keys(workflows) as WorkflowName[]) {
    lines.push(`## ${workflow}`, '');
    for (const [state, fault] of Object.entries(REACH[workflow])) {
      lines.push(`- ${state} is reached with \`${fault}\`.`);
    }
    if (Object.keys(REACH[workflow]).length > 0) lines.push('');
    lines.push(`| state | step (guarantee) | ${MODES.join(' | ')} |`);
    lines.push(`|---|---|${MODES.map(() => '---').join('|')}|`);
    for (const row of taskRows(workflow)) {
      const marks = MODES.map((mode) => {
        const cell = all.find(
          (c) => c.workflow === workflow && c.state === row.state && c.mode === mode,
        );
        if (!cell?.exception) return '✓';
        const text = `${Object.entries(cell.exception.atMost)
          .map(([field, n]) => `${field} ≤ ${n}`)
          .join(', ')}: ${cell.exception.reason}`;
        if (!notes.includes(text)) notes.push(text);
        return `exception ${notes.indexOf(text) + 1}`;
      });
      lines.push(
        `| ${row.state} | ${row.step.name} (${row.step.guarantee}) | ${marks.join(' | ')} |`,
      );
    }
    lines.push('');
  }
  lines.push('## Exceptions', '');
  notes.forEach((note, i) => {
    lines.push(`${i + 1}. ${note}.`);
  });
  lines.push('');
  return lines.join('\n');
};
