import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts DynamoDB calls with an SDK middleware on the process's shared client, attributed to
 * whatever label is active in an AsyncLocalStorage (calls outside any label — the saga running
 * behind the twin's Step Functions endpoint — count as `background`).
 */
export class DynamoCounter {
  private readonly label = new AsyncLocalStorage<string>();
  private readonly counts = new Map<string, Map<string, number>>();

  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const label = this.label.getStore() ?? 'background';
        const byCommand = this.counts.get(label) ?? new Map<string, number>();
        byCommand.set(
          context.commandName ?? '?',
          (byCommand.get(context.commandName ?? '?') ?? 0) + 1,
        );
        this.counts.set(label, byCommand);
        return next(args);
      },
      { step: 'initialize', name: 'benchDynamoCounter' },
    );
  }

  /** Runs `fn` with its DynamoDB calls counted under `label`. */
  run<T>(label: string, fn: () => Promise<T>): Promise<T> {
    return this.label.run(label, fn);
  }

  /** Calls counted under a label, total and by command; resets the label. */
  take(label: string): { total: number; commands: string; byCommand: Record<string, number> } {
    const byCommand = this.counts.get(label) ?? new Map<string, number>();
    this.counts.delete(label);
    const total = [...byCommand.values()].reduce((a, b) => a + b, 0);
    const commands = [...byCommand]
      .map(([command, n]) => `${command.replace('Command', '')}×${n}`)
      .join(' ');
    return { total, commands, byCommand: Object.fromEntries(byCommand) };
  }
}
