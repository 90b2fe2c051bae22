/**
 * Renders an Amazon States Language definition as a Mermaid flowchart: one node per state, one
 * edge per `Next`/`Default`/choice, dashed edges for `Catch` (labelled with the errors they catch),
 * retries noted on the node, Map and Parallel states as subgraphs. Pure: text in, text out, so the
 * docs test can compare the committed diagram with a fresh rendering.
 */

interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
}

interface State {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: readonly { readonly Next: string }[];
  readonly Catch?: readonly Catcher[];
  readonly Retry?: readonly {
    readonly ErrorEquals: readonly string[];
    readonly MaxAttempts?: number;
  }[];
  readonly ItemProcessor?: Machine;
  readonly Iterator?: Machine;
  readonly Branches?: readonly Machine[];
  readonly Error?: string;
}

interface Machine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
  readonly Comment?: string;
}

const shapeOf = (id: string, name: string, state: State): string => {
  const retries = (state.Retry ?? [])
    .map((r) =>
      r.MaxAttempts === 0
        ? `no retry: ${r.ErrorEquals.join(', ')}`
        : `retry ${r.ErrorEquals.join(', ')} ×${r.MaxAttempts ?? 3}`,
    )
    .join('<br/>');
  const label = retries ? `${name}<br/><small>${retries}</small>` : name;
  switch (state.Type) {
    case 'Choice':
      return `${id}{"${label}"}`;
    case 'Fail':
      return `${id}[["${label} ✗"]]`;
    case 'Succeed':
      return `${id}(["${label} ✓"])`;
    case 'Pass':
    case 'Wait':
      return `${id}(["${label}"])`;
    default:
      return `${id}["${label}"]`;
  }
};

/** Renders one (possibly nested) machine; `prefix` keeps nested state ids unique. */
const renderMachine = (machine: Machine, prefix: string, indent: string): string[] => {
  const id = (name: string) => `${prefix}${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const start = `${prefix}start`;
  // `end` is a Mermaid keyword, so the terminal node is called `finish`.
  const end = `${prefix}finish`;
  const lines = [`${indent}${start}((start))`, `${indent}${start} --> ${id(machine.StartAt)}`];
  let ends = false;
  for (const [name, state] of Object.entries(machine.States)) {
    const nested = state.ItemProcessor ?? state.Iterator;
    if (nested || state.Branches) {
      lines.push(`${indent}subgraph ${id(name)} ["${name} (${state.Type})"]`);
      const inner = nested ? [nested] : (state.Branches ?? []);
      inner.forEach((m, i) => {
        lines.push(...renderMachine(m, `${id(name)}_${i}_`, `${indent}  `));
      });
      lines.push(`${indent}end`);
    } else {
      lines.push(`${indent}${shapeOf(id(name), name, state)}`);
    }
    if (state.Next) lines.push(`${indent}${id(name)} --> ${id(state.Next)}`);
    for (const choice of state.Choices ?? [])
      lines.push(`${indent}${id(name)} --> ${id(choice.Next)}`);
    if (state.Default) lines.push(`${indent}${id(name)} -- default --> ${id(state.Default)}`);
    for (const c of state.Catch ?? []) {
      lines.push(`${indent}${id(name)} -. "${c.ErrorEquals.join(', ')}" .-> ${id(c.Next)}`);
    }
    if (state.End || state.Type === 'Succeed') {
      lines.push(`${indent}${id(name)} --> ${end}`);
      ends = true;
    }
  }
  if (ends) lines.push(`${indent}${end}((end))`);
  return lines;
};

/** The Markdown page for one state machine file: its comment and its diagram. */
export const aslToMarkdown = (fileName: string, definition: Machine): string =>
  [
    `# ${fileName.replace(/\.asl\.json$/, '')}`,
    '',
    `<!-- Generated from statemachines/${fileName} by \`npm run docs\`; do not edit by hand. -->`,
    '',
    definition.Comment ?? '',
    '',
    'Solid arrows are the normal path, dotted arrows a `Catch` (labelled with the errors it',
    'catches); a node lists its retriers; `✗` marks a Fail state, which ends the execution as failed.',
    '',
    '```mermaid',
    'flowchart TD',
    ...renderMachine(definition, '', '  '),
    '```',
    '',
  ].join('\n');
