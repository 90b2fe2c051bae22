/** A handler that takes a second and then writes down that it finished (function timeout test). */
export const finished: string[] = [];

export const handler = async (event: { id: string }) => {
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  finished.push(event.id);
  return { ok: true };
};
