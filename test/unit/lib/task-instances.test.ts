import { describe, expect, it } from 'vitest';
import {
  instanceCountOf,
  type TaskSpec,
  taskInstanceAt,
  taskSlotsOf,
} from '#lib/domain/activities.ts';

const RUN = 'activity-550e8400-e29b-41d4-a716-446655440000:2026-03-01T09:00:00Z';

const instancesOf = (tasks: TaskSpec[]) =>
  taskSlotsOf(tasks).map((slot) => taskInstanceAt(RUN, tasks, slot));

describe('task instances of a run', () => {
  it('names one spec’s instances task-{runId}:{type}:0…n-1', () => {
    expect(instancesOf([{ type: 'noop', count: 2 }]).map((i) => i?.id)).toEqual([
      `task-${RUN}:noop:0`,
      `task-${RUN}:noop:1`,
    ]);
  });

  it('gives every slot its own instance when several specs share a type', () => {
    const tasks: TaskSpec[] = [
      { type: 'http-ping', count: 2, url: 'https://a.example/' },
      { type: 'noop', count: 1 },
      { type: 'http-ping', count: 3, url: 'https://b.example/' },
      { type: 'noop', count: 2 },
    ];
    const instances = instancesOf(tasks);
    const ids = instances.map((i) => i?.id);
    expect(new Set(ids).size).toBe(instanceCountOf(tasks));
    expect(instances.map((i) => `${i?.type}:${i?.index}:${i?.url ?? ''}`)).toEqual([
      'http-ping:0:https://a.example/',
      'http-ping:1:https://a.example/',
      'noop:0:',
      'http-ping:2:https://b.example/',
      'http-ping:3:https://b.example/',
      'http-ping:4:https://b.example/',
      'noop:1:',
      'noop:2:',
    ]);
  });

  it('has no instance off the plan', () => {
    const tasks: TaskSpec[] = [{ type: 'noop', count: 2 }];
    expect(taskInstanceAt(RUN, tasks, { task: 0, index: 2 })).toBeUndefined();
    expect(taskInstanceAt(RUN, tasks, { task: 1, index: 0 })).toBeUndefined();
  });
});
