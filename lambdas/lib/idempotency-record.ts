/**
 * Ids of idempotency records: `{projectId}/{operationKey}#{hash of the caller scope}`. The project
 * and operation key are readable so the audit consumer of the table's KEYS_ONLY stream can say
 * which project's record expired and what it was for, without ever seeing the stored response.
 */
export const recordPrefix = (projectId: string, operationKey: string): string =>
  `${projectId}/${operationKey}`;

/** Reads a record id back; undefined for ids this layer did not write. */
export const parseRecordId = (
  id: string,
): { projectId: string; operationKey: string; operation: string } | undefined => {
  const match = /^([^/#]+)\/([^#]+)#/.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  return { projectId: match[1], operationKey: match[2], operation: match[2].split(':')[0] ?? '' };
};
